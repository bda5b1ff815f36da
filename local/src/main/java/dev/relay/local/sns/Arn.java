package dev.relay.local.sns;

import java.util.Optional;

/**
 * The parts of an ARN SNS cares about: {@code arn:<partition>:<service>:<region>:<account>:<resource>}.
 * The resource keeps its own colons ({@code function:name:qualifier}, {@code topic:subscription-id}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    public static Optional<Arn> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || parts[1].isEmpty() || parts[2].isEmpty()
                || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    /** The queue name of {@code arn:aws:sqs:region:account:name}, if this is one. */
    public Optional<String> sqsQueueName() {
        boolean queue = service.equals("sqs") && !region.isEmpty() && !account.isEmpty() && !resource.contains(":")
                && resource.matches("[A-Za-z0-9_-]{1,80}(\\.fifo)?");
        return queue ? Optional.of(resource) : Optional.empty();
    }

    /** The function name of {@code arn:aws:lambda:region:account:function:name[:qualifier]}, if this is one. */
    public Optional<String> lambdaFunctionName() {
        if (!service.equals("lambda") || region.isEmpty() || account.isEmpty() || !resource.startsWith("function:")) {
            return Optional.empty();
        }
        String[] parts = resource.split(":");
        boolean valid = (parts.length == 2 || parts.length == 3) && parts[1].matches("[A-Za-z0-9_-]{1,64}");
        return valid ? Optional.of(parts[1]) : Optional.empty();
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
