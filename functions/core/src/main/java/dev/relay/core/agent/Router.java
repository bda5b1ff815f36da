package dev.relay.core.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
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
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event to the one agent that handles its type and turns the agent's follow-ups into
 * envelopes of the same flow ({@code correlationid} kept, {@code causationid} = the trigger's id).
 */
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** The action of an outcome the router refused, and the audit event type it is recorded under. */
    public static final String REFUSED = "refused";
    public static final String REFUSED_TYPE = "decision.refused";

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
        Outcome outcome = allowed(agent, agent.handle(event, () -> recording));
        LOG.info("agent {} decided {} with {} model call(s) and {} follow-up(s)", agent.id(),
                outcome.decision().action(), recording.calls.size(), outcome.followUps().size());
        return handled(event, agent.id(), outcome, List.copyOf(recording.calls));
    }

    /** The outcome, or a {@code refused} decision recording what the agent tried beyond what it declares. */
    static Outcome allowed(Agent agent, Outcome outcome) {
        List<String> problems = new ArrayList<>();
        if (!agent.actions().contains(outcome.decision().action())) {
            problems.add("action '" + outcome.decision().action() + "' is not one of " + new TreeSet<>(agent.actions()));
        }
        for (FollowUp followUp : outcome.followUps()) {
            if (!agent.followUpTypes().contains(followUp.type())) {
                problems.add("follow-up '" + followUp.type() + "' is not one of " + new TreeSet<>(agent.followUpTypes()));
            }
        }
        if (problems.isEmpty()) {
            return outcome.claim() == null ? outcome
                    : outcome.claiming(outcome.claim().name(), allowed(agent, outcome.claim().ifTaken()));
        }
        LOG.warn("agent {} was refused: {}", agent.id(), problems);
        ObjectNode refused = Json.object();
        problems.forEach(refused.putArray("problems")::add);
        ObjectNode attempted = refused.putObject("attempted");
        attempted.put("action", outcome.decision().action());
        attempted.set("details", outcome.decision().details());
        outcome.followUps().forEach(f -> attempted.withArray("follow_ups").addObject().put("type", f.type()).set("data", f.data()));
        return Outcome.of(Decision.of(REFUSED_TYPE, REFUSED, refused));
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
