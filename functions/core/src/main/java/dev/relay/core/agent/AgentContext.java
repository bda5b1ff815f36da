package dev.relay.core.agent;

import dev.relay.core.llm.LanguageModel;

/** What an agent may use while it handles one event. */
public interface AgentContext {

    /** The model; every call made through it is recorded with the agent's outcome. */
    LanguageModel model();
}
