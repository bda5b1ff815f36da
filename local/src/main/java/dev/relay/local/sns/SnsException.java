package dev.relay.local.sns;

import java.util.Objects;

/**
 * A request SNS would refuse, with SNS's error code and a message naming what is wrong and where. The programmatic API
 * ({@link SnsService}) throws it; {@link SnsEndpoint} turns it into an {@code ErrorResponse}.
 */
public final class SnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SnsError error;

    public SnsException(SnsError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public SnsError error() {
        return error;
    }

    /** {@code InvalidParameter} in AWS's wording: "Invalid parameter: Name Reason: ...". */
    static SnsException invalidParameter(String parameter, String reason) {
        return new SnsException(SnsError.INVALID_PARAMETER, "Invalid parameter: " + parameter + " Reason: " + reason);
    }

    static SnsException invalidValue(String message) {
        return new SnsException(SnsError.PARAMETER_VALUE_INVALID, message);
    }

    static SnsException missing(String parameter) {
        return new SnsException(SnsError.VALIDATION_ERROR, "1 validation error detected: Value null at '"
                + parameter + "' failed to satisfy constraint: Member must not be null");
    }

    static SnsException notFound(String what) {
        return new SnsException(SnsError.NOT_FOUND, what);
    }
}
