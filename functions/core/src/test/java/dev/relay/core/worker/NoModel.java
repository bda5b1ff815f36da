package dev.relay.core.worker;

import dev.relay.core.llm.Answer;
import dev.relay.core.llm.LanguageModel;
import dev.relay.core.llm.Prompt;

/** For agents that must not ask the model: any call fails the test. */
final class NoModel implements LanguageModel {

    @Override
    public <T> Answer<T> decide(Prompt prompt, Class<T> type) {
        throw new AssertionError("no model call expected");
    }

    @Override
    public Answer<String> write(Prompt prompt) {
        throw new AssertionError("no model call expected");
    }
}
