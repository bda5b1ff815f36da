package dev.relay.local.template;

import static dev.relay.local.template.ResourceTypes.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The local cloud's physical ids: names as CloudFormation makes them ({@code <stack>-<LogicalId>-<SUFFIX>}, stable
 * across restarts), ARNs as on AWS, queue URLs on the local edge and HTTP APIs on the local API port.
 */
public record DefaultPhysicalIds(String edgeBaseUrl, String httpApiBaseUrl) implements PhysicalIds {

    public static final String LOCAL_EDGE = "http://127.0.0.1:4566";
    public static final String LOCAL_HTTP_API = "http://127.0.0.1:3000";
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    public DefaultPhysicalIds {
        edgeBaseUrl = stripTrailingSlash(edgeBaseUrl);
        httpApiBaseUrl = stripTrailingSlash(httpApiBaseUrl);
    }

    public DefaultPhysicalIds() {
        this(LOCAL_EDGE, LOCAL_HTTP_API);
    }

    @Override
    public String physicalName(String logicalId, String type, Map<String, Object> properties, StackContext stack)
            throws TemplateException {
        String where = "Resources." + logicalId + ".Properties";
        return switch (type) {
            case SQS_QUEUE -> fifoAware(logicalId, properties, stack, "QueueName", "FifoQueue", 80, where);
            case SNS_TOPIC -> fifoAware(logicalId, properties, stack, "TopicName", "FifoTopic", 256, where);
            case DYNAMODB_TABLE, SERVERLESS_SIMPLE_TABLE -> explicitOrGenerated(logicalId, properties, stack, "TableName", 255);
            case SERVERLESS_FUNCTION, LAMBDA_FUNCTION -> explicitOrGenerated(logicalId, properties, stack, "FunctionName", 64);
            case SERVERLESS_STATE_MACHINE -> explicitOrGenerated(logicalId, properties, stack, "Name", 80);
            case STATE_MACHINE -> explicitOrGenerated(logicalId, properties, stack, "StateMachineName", 80);
            // API Gateway picks a 10-character id; the local cloud derives it so restarts keep it.
            case SERVERLESS_HTTP_API, SERVERLESS_API -> stableString(stack.stackName() + "/api/" + logicalId, 10, LOWER_ALNUM);
            case SNS_SUBSCRIPTION -> properties.getOrDefault("TopicArn", "arn:aws:sns:" + stack.region() + ":"
                    + stack.accountId() + ":unknown") + ":" + stableUuid(stack, logicalId);
            case EVENT_SOURCE_MAPPING, KMS_KEY -> stableUuid(stack, logicalId);
            case IAM_ROLE -> explicitOrGenerated(logicalId, properties, stack, "RoleName", 64);
            case LOG_GROUP -> explicitOrGenerated(logicalId, properties, stack, "LogGroupName", 512);
            case CLOUDWATCH_ALARM -> explicitOrGenerated(logicalId, properties, stack, "AlarmName", 255);
            default -> explicitOrGenerated(logicalId, properties, stack, "Name", 255);
        };
    }

    @Override
    public String ref(String logicalId, String type, String physicalName, Map<String, Object> properties,
            StackContext stack) {
        return switch (type) {
            case SQS_QUEUE -> queueUrl(physicalName, stack);
            case SNS_TOPIC -> arn("sns", stack, physicalName);
            case SERVERLESS_STATE_MACHINE, STATE_MACHINE -> arn("states", stack, "stateMachine:" + physicalName);
            case SECRETS_MANAGER_SECRET -> secretArn(logicalId, physicalName, stack);
            default -> physicalName;
        };
    }

    @Override
    public Map<String, String> attributes(String logicalId, String type, String physicalName,
            Map<String, Object> properties, StackContext stack) {
        Map<String, String> attributes = new LinkedHashMap<>();
        switch (type) {
            case SQS_QUEUE -> {
                attributes.put("Arn", arn("sqs", stack, physicalName));
                attributes.put("QueueName", physicalName);
                attributes.put("QueueUrl", queueUrl(physicalName, stack));
            }
            case SNS_TOPIC -> {
                attributes.put("TopicArn", arn("sns", stack, physicalName));
                attributes.put("TopicName", physicalName);
            }
            case DYNAMODB_TABLE, SERVERLESS_SIMPLE_TABLE -> {
                String tableArn = arn("dynamodb", stack, "table/" + physicalName);
                attributes.put("Arn", tableArn);
                if (properties.containsKey("StreamSpecification")) {
                    // AWS labels a stream with its creation time; a fixed label keeps the ARN stable across restarts.
                    attributes.put("StreamArn", tableArn + "/stream/1970-01-01T00:00:00.000");
                }
            }
            case SERVERLESS_FUNCTION, LAMBDA_FUNCTION -> attributes.put("Arn", arn("lambda", stack, "function:" + physicalName));
            case SERVERLESS_STATE_MACHINE, STATE_MACHINE -> {
                attributes.put("Arn", arn("states", stack, "stateMachine:" + physicalName));
                attributes.put("Name", physicalName);
            }
            case SERVERLESS_HTTP_API -> attributes.put("ApiEndpoint", httpApiBaseUrl);
            case IAM_ROLE -> {
                attributes.put("Arn", "arn:aws:iam::" + stack.accountId() + ":role/" + physicalName);
                attributes.put("RoleId", "AROA" + stableString(stack.stackName() + "/role/" + logicalId, 17, UPPER_ALNUM));
            }
            case KMS_KEY -> {
                attributes.put("Arn", arn("kms", stack, "key/" + physicalName));
                attributes.put("KeyId", physicalName);
            }
            case LOG_GROUP -> attributes.put("Arn", arn("logs", stack, "log-group:" + physicalName + ":*"));
            case CLOUDWATCH_ALARM -> attributes.put("Arn", arn("cloudwatch", stack, "alarm:" + physicalName));
            case SECRETS_MANAGER_SECRET -> attributes.put("Id", secretArn(logicalId, physicalName, stack));
            default -> {
            }
        }
        return attributes;
    }

    /** The 12-character suffix CloudFormation appends to generated names, here a hash so restarts agree. */
    public static String stableSuffix(String stackName, String logicalId) {
        return stableString(stackName + "/" + logicalId, 12, UPPER_ALNUM);
    }

    /** Secrets Manager appends six random characters to a secret's name in its ARN; here a hash, stable across restarts. */
    private static String secretArn(String logicalId, String name, StackContext stack) {
        String suffix = stableString(stack.stackName() + "/secret/" + logicalId, 6, UPPER_ALNUM + LOWER_ALNUM);
        return arn("secretsmanager", stack, "secret:" + name + "-" + suffix);
    }

    private String queueUrl(String queueName, StackContext stack) {
        return edgeBaseUrl + "/" + stack.accountId() + "/" + queueName;
    }

    private static String arn(String service, StackContext stack, String resource) {
        return "arn:aws:" + service + ":" + stack.region() + ":" + stack.accountId() + ":" + resource;
    }

    private static String fifoAware(String logicalId, Map<String, Object> properties, StackContext stack,
            String nameProperty, String fifoProperty, int maxLength, String where) throws TemplateException {
        boolean fifo = "true".equalsIgnoreCase(String.valueOf(properties.get(fifoProperty)));
        Object explicit = properties.get(nameProperty);
        if (explicit != null) {
            String name = String.valueOf(explicit);
            if (fifo != name.endsWith(".fifo")) {
                throw new TemplateException(where + "." + nameProperty, fifo
                        ? "'" + name + "' must end in '.fifo' because " + fifoProperty + " is true"
                        : "'" + name + "' ends in '.fifo' but " + fifoProperty + " is not true");
            }
            return name;
        }
        return fifo ? generated(logicalId, stack, maxLength - 5) + ".fifo" : generated(logicalId, stack, maxLength);
    }

    private static String explicitOrGenerated(String logicalId, Map<String, Object> properties, StackContext stack,
            String nameProperty, int maxLength) {
        Object explicit = properties.get(nameProperty);
        return explicit != null ? String.valueOf(explicit) : generated(logicalId, stack, maxLength);
    }

    private static String generated(String logicalId, StackContext stack, int maxLength) {
        String suffix = "-" + stableSuffix(stack.stackName(), logicalId);
        String prefix = stack.stackName() + "-" + logicalId;
        if (prefix.length() + suffix.length() > maxLength) {
            prefix = prefix.substring(0, maxLength - suffix.length());
        }
        return prefix + suffix;
    }

    private static String stableUuid(StackContext stack, String logicalId) {
        return UUID.nameUUIDFromBytes((stack.stackName() + "/" + logicalId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String stableString(String seed, int length, String alphabet) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(alphabet.charAt(Byte.toUnsignedInt(hash[i]) % alphabet.length()));
            }
            return out.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
