package dev.relay.onboarding;

import dev.relay.core.Environment;
import dev.relay.core.aws.AwsClients;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The coordinator's function: completion events from the topic, and its own delayed deadline checks sent to
 * {@code ONBOARDING_QUEUE_URL}. {@code ONBOARDING_REQUIRED_STEPS} (comma-separated agent ids) and
 * {@code ONBOARDING_DEADLINE_SECONDS} configure it; a stuck signup also counts in the {@code OnboardingStuck} metric.
 */
public final class OnboardingCoordinatorFunction extends OnboardingFunction {

    public OnboardingCoordinatorFunction() {
        super(OnboardingCoordinatorFunction::coordinator);
    }

    static OnboardingCoordinator coordinator(Environment env) {
        Clock clock = Clock.systemUTC();
        return new OnboardingCoordinator(store(env),
                new SqsDeadlines(AwsClients.build(SqsClient.builder()), env.required("ONBOARDING_QUEUE_URL"), SOURCE, clock),
                signupId -> MetricsFactory.getMetricsInstance().addMetric("OnboardingStuck", 1, MetricUnit.COUNT),
                requiredSteps(env), env.seconds("ONBOARDING_DEADLINE_SECONDS", OnboardingCoordinator.DEFAULT_DEADLINE,
                        1, 7 * 24 * 3600), clock);
    }

    static Set<String> requiredSteps(Environment env) {
        return env.optional("ONBOARDING_REQUIRED_STEPS")
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()))
                .orElse(OnboardingCoordinator.DEFAULT_REQUIRED);
    }
}
