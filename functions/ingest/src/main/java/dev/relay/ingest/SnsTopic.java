package dev.relay.ingest;

import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.KmsThrottlingException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.ThrottledException;

/**
 * The events topic through SNS PublishBatch: up to ten events per call and at most 256 KiB per call (SNS counts the
 * bodies and the message attributes), with the attributes every Relay publisher sets
 * ({@link SnsEventPublisher#attributes}). Each event's outcome is reported on its own.
 */
public final class SnsTopic implements TopicPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SnsTopic.class);

    private final SnsClient sns;
    private final String topicArn;

    public SnsTopic(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    /** The size SNS counts for one message: the body plus each attribute's name, type and value. */
    static int size(Envelope event) {
        int size = utf8(event.toJson());
        for (Map.Entry<String, MessageAttributeValue> attribute : SnsEventPublisher.attributes(event).entrySet()) {
            size += utf8(attribute.getKey()) + utf8(attribute.getValue().dataType())
                    + utf8(attribute.getValue().stringValue());
        }
        return size;
    }

    @Override
    public List<Optional<Problem>> publish(List<Envelope> events) {
        List<Optional<Problem>> outcomes = new ArrayList<>(Collections.nCopies(events.size(), Optional.empty()));
        int[] sizes = events.stream().mapToInt(SnsTopic::size).toArray();
        int from = 0;
        while (from < events.size()) {
            int to = from;
            int bytes = 0;
            while (to < events.size() && to - from < SnsEventPublisher.BATCH_LIMIT
                    && (to == from || bytes + sizes[to] <= Envelope.MAX_BYTES)) {
                bytes += sizes[to];
                to++;
            }
            publishCall(events.subList(from, to), outcomes, from);
            from = to;
        }
        return outcomes;
    }

    private void publishCall(List<Envelope> batch, List<Optional<Problem>> outcomes, int offset) {
        List<PublishBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Envelope event = batch.get(i);
            entries.add(PublishBatchRequestEntry.builder().id(Integer.toString(i)).message(event.toJson())
                    .messageAttributes(SnsEventPublisher.attributes(event)).build());
        }
        try {
            PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(entries));
            for (BatchResultErrorEntry failed : response.failed()) {
                outcomes.set(offset + Integer.parseInt(failed.id()), Optional.of(problem(failed)));
            }
        } catch (SdkException e) {
            Problem problem = problem(e);
            LOG.warn("publishing {} event(s) to {} failed: {}", batch.size(), topicArn, e.getMessage());
            for (int i = 0; i < batch.size(); i++) {
                outcomes.set(offset + i, Optional.of(problem));
            }
        }
    }

    private Problem problem(BatchResultErrorEntry failed) {
        LOG.warn("SNS did not publish an event to {}: {} {}", topicArn, failed.code(), failed.message());
        String code = failed.code() == null ? "" : failed.code();
        if (code.startsWith("Throttl") || code.equals("KMSThrottling")) {
            return Problem.throttled("the events topic is throttling publishes (" + code + "); retry later");
        }
        if (Boolean.TRUE.equals(failed.senderFault()) && !code.startsWith("KMS") && !code.equals("AuthorizationError")) {
            return Problem.badRequest("$", "$: the events topic refused the event: " + code + " " + failed.message());
        }
        return Problem.unavailable("the events topic did not take the event (" + code + "); retry later");
    }

    private static Problem problem(SdkException e) {
        if (e instanceof ThrottledException || e instanceof KmsThrottlingException
                || (e instanceof AwsServiceException service && service.isThrottlingException())) {
            return Problem.throttled("the events topic is throttling publishes; retry later");
        }
        return Problem.unavailable("the events topic is unavailable; the event was not accepted: retry (with the "
                + "same id, so that it is published once)");
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
