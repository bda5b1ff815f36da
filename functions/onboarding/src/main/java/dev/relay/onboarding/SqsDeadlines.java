package dev.relay.onboarding;

import dev.relay.core.Json;
import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Deadlines as delayed SQS messages to the coordinator's own queue: no scheduler to run. SQS delays a message at
 * most 15 minutes, so a later deadline is reached in hops (the coordinator schedules again when a check comes early).
 */
public final class SqsDeadlines implements Ports.Deadlines {

    /** SQS's maximum {@code DelaySeconds}. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final SqsClient sqs;
    private final String queueUrl;
    private final String source;
    private final Clock clock;

    public SqsDeadlines(SqsClient sqs, String queueUrl, String source, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.source = source;
        this.clock = clock;
    }

    @Override
    public void schedule(Envelope cause, String signupId, Instant at) {
        Duration delay = Duration.between(clock.instant(), at);
        long seconds = Math.clamp((delay.toMillis() + 999) / 1000, 0, MAX_DELAY.toSeconds());
        Envelope check = cause.followUp(Onboarding.DEADLINE_REACHED, source,
                Json.object().put("signup_id", signupId).put("deadline_at", at.toString()));
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        SnsEventPublisher.attributes(check).forEach((name, value) -> attributes.put(name,
                MessageAttributeValue.builder().dataType(value.dataType()).stringValue(value.stringValue()).build()));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(check.toJson()).delaySeconds((int) seconds)
                .messageAttributes(attributes));
    }
}
