package dev.relay.core.llm;

/** What agents see of the LLM: ask for a typed decision or for text. No HTTP, no SDK. */
public interface LanguageModel {

    /** Asks for an answer shaped like the record {@code type} (JSON-schema structured output). */
    <T> Answer<T> decide(Prompt prompt, Class<T> type);

    /** Asks for free text (a draft reply, a summary). */
    Answer<String> write(Prompt prompt);
}
