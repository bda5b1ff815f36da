package dev.relay.local.sns;

/**
 * The SNS error codes the local SNS answers with, and their HTTP status, as in SNS's service model (the SDKs map
 * each code to an exception: {@code NotFound} to {@code NotFoundException} and so on).
 */
public enum SnsError {
    INVALID_PARAMETER("InvalidParameter", 400),
    PARAMETER_VALUE_INVALID("ParameterValueInvalid", 400),
    /** A required parameter is absent (what AWS answers for a null member). */
    VALIDATION_ERROR("ValidationError", 400),
    NOT_FOUND("NotFound", 404),
    INVALID_ACTION("InvalidAction", 400),
    MALFORMED_QUERY_STRING("MalformedQueryString", 400),
    EMPTY_BATCH_REQUEST("EmptyBatchRequest", 400),
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST("TooManyEntriesInBatchRequest", 400),
    BATCH_ENTRY_IDS_NOT_DISTINCT("BatchEntryIdsNotDistinct", 400),
    INVALID_BATCH_ENTRY_ID("InvalidBatchEntryId", 400),
    BATCH_REQUEST_TOO_LONG("BatchRequestTooLong", 400),
    INTERNAL_ERROR("InternalError", 500);

    private final String code;
    private final int httpStatus;

    SnsError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The wire code, e.g. {@code InvalidParameter}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Every code but InternalError is the caller's fault ({@code <Type>Sender</Type>}). */
    public boolean senderFault() {
        return httpStatus < 500;
    }
}
