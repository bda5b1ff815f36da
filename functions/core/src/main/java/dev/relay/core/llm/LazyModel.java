package dev.relay.core.llm;

import java.util.function.Supplier;

/**
 * A model client built on first use: a function whose agents never ask the model (provisioning, CRM, saga steps)
 * never reads the model's key, so it needs neither the key nor the permission to read it.
 */
public final class LazyModel implements LanguageModel {

    private final Supplier<? extends LanguageModel> factory;
    private volatile LanguageModel model;

    public LazyModel(Supplier<? extends LanguageModel> factory) {
        this.factory = factory;
    }

    @Override
    public <T> Answer<T> decide(Prompt prompt, Class<T> type) {
        return model().decide(prompt, type);
    }

    @Override
    public Answer<String> write(Prompt prompt) {
        return model().write(prompt);
    }

    private LanguageModel model() {
        LanguageModel current = model;
        if (current == null) {
            synchronized (this) {
                if (model == null) {
                    model = factory.get();
                }
                current = model;
            }
        }
        return current;
    }
}
