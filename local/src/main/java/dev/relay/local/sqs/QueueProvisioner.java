package dev.relay.local.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.local.template.Resource;
import dev.relay.local.template.TemplateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Creates the template's {@code AWS::SQS::Queue}s in ElasticMQ with the attributes SQS would give them. Dead-letter
 * queues are created before the queues that redrive to them. Encryption settings are accepted but have no local
 * effect (ElasticMQ keeps messages in memory); they are reported, not silently dropped.
 */
public final class QueueProvisioner {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** CloudFormation properties that are SQS queue attributes with the same name and a scalar value. */
    private static final List<String> SCALAR_ATTRIBUTES = List.of("DelaySeconds", "MaximumMessageSize",
            "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "FifoQueue",
            "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    /** Properties that only matter on AWS. */
    private static final Set<String> NO_LOCAL_EFFECT = Set.of("QueueName", "KmsMasterKeyId",
            "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "Tags", "RedriveAllowPolicy");

    private final SqsClient sqs;

    public QueueProvisioner(SqsClient sqs) {
        this.sqs = sqs;
    }

    /**
     * @return the queue URL of each created queue, by logical id, in creation order
     * @throws TemplateException naming the queue and property that SQS refused or that is malformed
     */
    public Map<String, String> create(List<Resource> queues) throws TemplateException {
        Map<String, String> urls = new LinkedHashMap<>();
        Set<String> createdArns = new HashSet<>();
        List<Resource> pending = new ArrayList<>(queues);
        while (!pending.isEmpty()) {
            Resource ready = pending.stream()
                    .filter(queue -> deadLetterTarget(queue).map(createdArns::contains).orElse(true))
                    .findFirst()
                    .orElseThrow(() -> new TemplateException("Resources." + pending.getFirst().logicalId()
                            + ".Properties.RedrivePolicy.deadLetterTargetArn",
                            "names a queue that is not in the template, or the redrive policies form a cycle"));
            pending.remove(ready);
            urls.put(ready.logicalId(), create(ready));
            createdArns.add(ready.attribute("Arn").orElseThrow());
        }
        return urls;
    }

    private String create(Resource queue) throws TemplateException {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String name : SCALAR_ATTRIBUTES) {
            queue.property(name).ifPresent(value -> attributes.put(name, value.toString()));
        }
        redrivePolicy(queue).ifPresent(policy -> attributes.put("RedrivePolicy", policy));
        for (String property : queue.properties().keySet()) {
            if (!attributes.containsKey(property) && !NO_LOCAL_EFFECT.contains(property)) {
                throw new TemplateException("Resources." + queue.logicalId() + ".Properties." + property,
                        "is not an AWS::SQS::Queue property the local cloud knows");
            }
        }
        try {
            return sqs.createQueue(b -> b.queueName(queue.physicalName()).attributesWithStrings(attributes))
                    .queueUrl();
        } catch (QueueNameExistsException e) {
            // Kept in a data directory with other attributes: update it, as a stack update would.
            String url = sqs.getQueueUrl(b -> b.queueName(queue.physicalName())).queueUrl();
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(attributes));
            return url;
        } catch (SqsException e) {
            throw new TemplateException("Resources." + queue.logicalId(),
                    "SQS refused the queue " + queue.physicalName() + ": " + e.awsErrorDetails().errorMessage());
        }
    }

    /** The policy as SQS takes it: JSON text (CloudFormation accepts a map or a JSON string). */
    private static Optional<String> redrivePolicy(Resource queue) {
        return Optional.ofNullable(queue.properties().get("RedrivePolicy")).map(policy -> {
            try {
                return policy instanceof String text ? text : JSON.writeValueAsString(policy);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a resolved template value is always JSON-writable", e);
            }
        });
    }

    private static Optional<String> deadLetterTarget(Resource queue) {
        return redrivePolicy(queue).map(policy -> {
            try {
                return JSON.readTree(policy).path("deadLetterTargetArn").asText("");
            } catch (JsonProcessingException e) {
                return ""; // SQS names the malformed policy when the queue is created
            }
        }).filter(arn -> !arn.isEmpty());
    }
}
