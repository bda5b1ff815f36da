package dev.relay.core.agent;

import dev.relay.core.event.Envelope;
import dev.relay.core.llm.Answer;
import dev.relay.core.llm.LanguageModel;
import dev.relay.core.llm.LlmCall;
import dev.relay.core.llm.Prompt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event to the one agent that handles its type and turns the agent's follow-ups into
 * envelopes of the same flow ({@code correlationid} kept, {@code causationid} = the trigger's id).
 */
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final Map<String, Agent> agentsByType;
    private final LanguageModel model;
    private final String source;

    /**
     * @param source the CloudEvents {@code source} of follow-ups, e.g. {@code urn:relay:ops-agents}
     * @throws IllegalArgumentException when two agents claim the same event type
     */
    public Router(List<? extends Agent> agents, LanguageModel model, String source) {
        Map<String, Agent> byType = new LinkedHashMap<>();
        for (Agent agent : agents) {
            for (String type : agent.eventTypes()) {
                Agent previous = byType.putIfAbsent(type, agent);
                if (previous != null) {
                    throw new IllegalArgumentException("event type " + type + " is claimed by both "
                            + previous.id() + " and " + agent.id());
                }
            }
        }
        this.agentsByType = Collections.unmodifiableMap(byType);
        this.model = model;
        this.source = source;
    }

    public Set<String> eventTypes() {
        return agentsByType.keySet();
    }

    /** The agent that handles this event's type, if this router has one. */
    public java.util.Optional<Agent> agentFor(Envelope event) {
        return java.util.Optional.ofNullable(agentsByType.get(event.type()));
    }

    public Routing route(Envelope event) {
        Agent agent = agentsByType.get(event.type());
        if (agent == null) {
            LOG.warn("no agent handles event type {}; known types: {}", event.type(), agentsByType.keySet());
            return new Routing.Unrouted(event, agentsByType.keySet());
        }
        RecordingModel recording = new RecordingModel(model);
        Outcome outcome = agent.handle(event, () -> recording);
        LOG.info("agent {} decided {} with {} model call(s) and {} follow-up(s)", agent.id(),
                outcome.decision().action(), recording.calls.size(), outcome.followUps().size());
        return handled(event, agent.id(), outcome, List.copyOf(recording.calls));
    }

    private Routing.Handled handled(Envelope event, String agentId, Outcome outcome, List<LlmCall> calls) {
        List<Envelope> followUps = outcome.followUps().stream()
                .map(f -> event.followUp(f.type(), source, f.data()))
                .toList();
        Optional<Routing.Claimed> claim = Optional.ofNullable(outcome.claim()).map(c ->
                new Routing.Claimed(c.name(), handled(event, agentId, c.ifTaken(), calls)));
        return new Routing.Handled(event, agentId, outcome.decision(), calls, followUps, claim);
    }

    /** Keeps every call an agent makes while it handles one event. */
    private static final class RecordingModel implements LanguageModel {
        private final LanguageModel model;
        private final List<LlmCall> calls = new ArrayList<>();

        RecordingModel(LanguageModel model) {
            this.model = model;
        }

        @Override
        public <T> Answer<T> decide(Prompt prompt, Class<T> type) {
            return keep(model.decide(prompt, type));
        }

        @Override
        public Answer<String> write(Prompt prompt) {
            return keep(model.write(prompt));
        }

        private <T> Answer<T> keep(Answer<T> answer) {
            calls.add(answer.call());
            return answer;
        }
    }
}
