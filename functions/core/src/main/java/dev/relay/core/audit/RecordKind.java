package dev.relay.core.audit;

/** What an audit record is about: the four facts of an agent decision, in the order they happen. */
public enum RecordKind {
    /** An agent received an event (the payload is the whole event). */
    RECEIVED,
    /** The agent asked the model (model, prompt and its hash, raw output, structured answer, tokens, latency). */
    LLM_CALL,
    /** The agent decided (action and details). */
    DECISION,
    /** The agent emitted a follow-up event (the payload is the whole event, as published). */
    EMITTED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RecordKind fromWire(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
