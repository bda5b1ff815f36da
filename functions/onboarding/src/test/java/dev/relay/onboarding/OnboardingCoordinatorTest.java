package dev.relay.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.Json;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.RecordKind;
import dev.relay.core.event.Envelope;
import dev.relay.core.worker.AgentPipeline;
import dev.relay.embedded.ElasticMqService;
import dev.relay.embedded.LocalPorts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The completion coordinator on DynamoDB Local (progress, audit) and ElasticMQ (its delayed deadline checks):
 * exactly one {@code onboarding.complete} however completions race or repeat, and a stuck signup reported once.
 */
class OnboardingCoordinatorTest {

    private static ElasticMqService elasticMq;
    private static SqsClient sqs;

    private final Fixture fixture = new Fixture();
    private final List<String> stuckAlarms = new CopyOnWriteArrayList<>();
    private String queueUrl;

    @BeforeAll
    static void startSqs() {
        elasticMq = ElasticMqService.start("http://127.0.0.1:" + LocalPorts.free(), "us-east-1", "000000000000");
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .endpointOverride(elasticMq.endpoint()).build();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        elasticMq.close();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private AgentPipeline coordinator(Duration deadline) {
        if (queueUrl == null) {
            queueUrl = sqs.createQueue(b -> b.queueName("coordinator-" + System.nanoTime())).queueUrl();
        }
        Clock clock = Clock.systemUTC();
        return fixture.pipeline(new OnboardingCoordinator(fixture.store,
                new SqsDeadlines(sqs, queueUrl, OnboardingFunction.SOURCE, clock), stuckAlarms::add,
                OnboardingCoordinator.DEFAULT_REQUIRED, deadline, clock));
    }

    private static Envelope completion(Envelope signup, String type) {
        return signup.followUp(type, OnboardingFunction.SOURCE, Json.object().put("signup_id", signup.id()));
    }

    private List<Envelope> requiredCompletions(Envelope signup) {
        return List.of(completion(signup, Onboarding.WORKSPACE_PROVISIONED), completion(signup, Onboarding.CRM_CONTACT_CREATED),
                completion(signup, Onboarding.WELCOME_EMAIL_SENT));
    }

    @RepeatedTest(8)
    void completionsRacingOnSeveralLambdasEmitOneOnboardingComplete() throws Exception {
        Envelope signup = Fixture.signup();
        List<Envelope> deliveries = new ArrayList<>();
        for (Envelope completion : requiredCompletions(signup)) {
            deliveries.add(completion);
            deliveries.add(completion); // each delivered twice, at the same instant
        }
        deliveries.add(completion(signup, Onboarding.SALES_NOTIFIED));
        ExecutorService lambdas = Executors.newFixedThreadPool(deliveries.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (Envelope delivery : deliveries) {
            AgentPipeline ownEnvironment = coordinator(Duration.ofMinutes(15));
            runs.add(lambdas.submit(() -> {
                go.await();
                ownEnvironment.process(delivery);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> run : runs) {
            run.get();
        }
        lambdas.shutdown();

        List<Envelope> complete = fixture.published(Onboarding.COMPLETE);
        // one onboarding.complete event; two deliveries of the winning completion at the same instant may both publish
        // it (same id, same bytes), which consumers deduplicate by id
        assertThat(complete).as("one onboarding.complete").isNotEmpty().extracting(Envelope::id)
                .containsOnly(complete.getFirst().id());
        assertThat(complete.getFirst().correlationId()).isEqualTo(signup.correlationId());
        assertThat(complete.getFirst().data().get("completed_steps")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(fixture.trail.stream(signup.correlationId()))
                .filteredOn(r -> r.kind() == RecordKind.DECISION && r.eventType().equals("onboarding.completed"))
                .hasSize(1);
        assertThat(fixture.trail.verify(signup.correlationId()).intact()).isTrue();
    }

    @Test
    void completionsDeliveredTwiceEmitOnboardingCompleteOnce() {
        Envelope signup = Fixture.signup();
        AgentPipeline coordinator = coordinator(Duration.ofMinutes(15));
        coordinator.process(signup);
        for (Envelope completion : requiredCompletions(signup)) {
            coordinator.process(completion);
            coordinator.process(completion);
        }

        assertThat(fixture.published(Onboarding.COMPLETE)).singleElement().satisfies(complete -> {
            assertThat(complete.data().get("missing_steps")).isEmpty();
            assertThat(complete.causationId()).isEqualTo(requiredCompletions(signup).get(2).id());
        });
        // the whole onboarding is one query: the signup's flow holds every decision and the completion
        assertThat(fixture.trail.stream(signup.correlationId())).filteredOn(r -> r.kind() == RecordKind.EMITTED)
                .extracting(AuditRecord::eventType).containsExactly(Onboarding.COMPLETE);
    }

    @Test
    void aSignupMissingARequiredStepIsReportedStuckOnceAfterItsDeadline() {
        Envelope signup = Fixture.signup();
        AgentPipeline coordinator = coordinator(Duration.ofSeconds(1));
        coordinator.process(signup);
        coordinator.process(completion(signup, Onboarding.WORKSPACE_PROVISIONED));
        coordinator.process(completion(signup, Onboarding.WELCOME_EMAIL_SENT));

        Envelope check = awaitDeadlineCheck();
        assertThat(check.correlationId()).isEqualTo(signup.correlationId());
        coordinator.process(check);
        coordinator.process(check);

        assertThat(fixture.published(Onboarding.COMPLETE)).isEmpty();
        assertThat(fixture.published(Onboarding.STUCK)).singleElement().satisfies(stuck -> {
            assertThat(stuck.data().get("missing_steps").get(0).asText()).isEqualTo("crm");
            assertThat(stuck.data().get("completed_steps")).hasSize(2);
            assertThat(stuck.correlationId()).isEqualTo(signup.correlationId());
        });
        assertThat(stuckAlarms).containsExactly(signup.id());
        assertThat(fixture.store.get(signup.correlationId())).get().extracting(Ports.Progress::stuckAt).isNotNull();
    }

    @Test
    void aSignupCompleteBeforeItsDeadlineIsNotReported() {
        Envelope signup = Fixture.signup();
        AgentPipeline coordinator = coordinator(Duration.ofSeconds(1));
        coordinator.process(signup);
        requiredCompletions(signup).forEach(coordinator::process);

        coordinator.process(awaitDeadlineCheck());

        assertThat(fixture.published(Onboarding.COMPLETE)).hasSize(1);
        assertThat(fixture.published(Onboarding.STUCK)).isEmpty();
        assertThat(stuckAlarms).isEmpty();
    }

    @Test
    void requiredStepsMustBeKnownSteps() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OnboardingCoordinator(fixture.store, null, null,
                        Set.of("crm", "billing"), Duration.ofMinutes(1), Clock.systemUTC()))
                .hasMessageContaining("[crm, provisioning, sales-notifier, welcome-email]").hasMessageContaining("billing");
    }

    private Envelope awaitDeadlineCheck() {
        Instant until = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(until)) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages();
            if (!messages.isEmpty()) {
                Message message = messages.getFirst();
                assertThat(message.messageAttributes().get("type").stringValue()).isEqualTo(Onboarding.DEADLINE_REACHED);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                return Envelope.parse(message.body());
            }
        }
        throw new AssertionError("no deadline check arrived on " + queueUrl);
    }
}
