package dev.relay.cli;

import dev.relay.core.event.InvalidEventException;
import dev.relay.local.template.TemplateException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What a failed command tells its user: one line, saying what to do next, and the exit code. */
record Problem(String message, int exitCode) {

    /** AWS error codes that mean "there is no such thing". */
    private static final Set<String> NOT_FOUND_CODES = Set.of("ResourceNotFoundException",
            "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "ExecutionDoesNotExist",
            "StateMachineDoesNotExist", "NotFound", "NotFoundException");

    /** @param target where the command was acting, to name it (and say what to do when it does not answer) */
    static Problem of(Throwable failure, Optional<TargetOptions.Described> target) {
        String where = target.map(TargetOptions.Described::name).orElse("AWS");
        return switch (failure) {
            case CommandException e -> new Problem(e.getMessage(), e.exitCode());
            case InvalidEventException e -> new Problem("invalid event: " + e.getMessage(), Relay.USAGE);
            case TemplateException e -> new Problem("template: " + e.getMessage(), Relay.FAILURE);
            case AwsServiceException e -> service(e, where);
            case SdkClientException e -> client(e, where, target.map(TargetOptions.Described::ifUnreachable)
                    .orElse("check the network"));
            case IllegalArgumentException e -> new Problem(e.getMessage(), Relay.USAGE);
            default -> new Problem(Optional.ofNullable(failure.getMessage()).filter(m -> !m.isBlank())
                    .orElse(failure.getClass().getSimpleName()) + " (--debug shows the stack trace)", Relay.FAILURE);
        };
    }

    private static Problem service(AwsServiceException e, String where) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage() : e.awsErrorDetails().errorMessage();
        String service = e.awsErrorDetails() == null ? "AWS" : e.awsErrorDetails().serviceName();
        if (NOT_FOUND_CODES.contains(code)) {
            return new Problem("not found at " + where + ": " + message, Relay.NOT_FOUND);
        }
        if (e.statusCode() == 403 || (code != null && code.contains("AccessDenied"))) {
            return new Problem(service + " at " + where + " refused: " + code + ": " + message
                    + " (the credentials in use lack this permission)", Relay.FAILURE);
        }
        return new Problem(service + " at " + where + " refused: " + code + ": " + message, Relay.FAILURE);
    }

    private static Problem client(SdkClientException e, String where, String ifUnreachable) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new Problem("cannot reach " + where + " (" + t.getMessage() + "): " + ifUnreachable,
                        Relay.FAILURE);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unable to load credentials")) {
            return new Problem("no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY), or use --local", Relay.FAILURE);
        }
        if (message.contains("Unable to load region")) {
            return new Problem("no AWS region: give --region or set AWS_REGION", Relay.USAGE);
        }
        return new Problem("talking to " + where + " failed: " + message, Relay.FAILURE);
    }
}
