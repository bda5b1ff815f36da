package dev.relay.local.sns;

/** A filter policy SNS would reject; the message says which key and what is wrong, as SNS's InvalidParameter does. */
public final class FilterPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public FilterPolicyException(String problem) {
        super("FilterPolicy: " + problem);
    }

    FilterPolicyException(String key, String problem) {
        super("FilterPolicy: \"" + key + "\": " + problem);
    }
}
