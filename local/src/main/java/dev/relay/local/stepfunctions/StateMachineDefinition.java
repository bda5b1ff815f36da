package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A parsed and validated state machine definition (JSONPath query language). */
public record StateMachineDefinition(StateGraph graph, Integer timeoutSeconds, String comment, JsonNode json) {

    /**
     * One Task state as written, for whoever runs its resource to check it before any execution starts.
     *
     * @param location   where it is, e.g. {@code States.Fulfil.Branches[0].States.Charge}
     * @param resource   its {@code Resource}
     * @param parameters its {@code Parameters} as written (with {@code .$} fields unevaluated), or {@code null}
     */
    public record TaskDeclaration(String location, String resource, JsonNode parameters) {}

    /**
     * Parses and validates as CreateStateMachine / ValidateStateMachineDefinition would.
     *
     * @throws DefinitionException listing every problem found, each with its JSON location
     */
    public static StateMachineDefinition parse(String json) {
        JsonNode tree;
        try {
            tree = Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new DefinitionException(List.of("the definition is not valid JSON: " + e.getOriginalMessage()));
        }
        return new DefinitionParser().parse(tree);
    }

    /** Every Task state, in Parallel branches and Map item processors too. */
    public List<TaskDeclaration> tasks() {
        List<TaskDeclaration> tasks = new ArrayList<>();
        collectTasks(json, "", tasks);
        return List.copyOf(tasks);
    }

    private static void collectTasks(JsonNode graph, String prefix, List<TaskDeclaration> tasks) {
        for (Map.Entry<String, JsonNode> entry : graph.path("States").properties()) {
            String at = prefix + "States." + entry.getKey();
            JsonNode state = entry.getValue();
            switch (state.path("Type").asText()) {
                case "Task" -> tasks.add(new TaskDeclaration(at, state.path("Resource").asText(),
                        state.get("Parameters")));
                case "Parallel" -> {
                    for (int i = 0; i < state.path("Branches").size(); i++) {
                        collectTasks(state.path("Branches").get(i), at + ".Branches[" + i + "].", tasks);
                    }
                }
                case "Map" -> {
                    String field = state.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
                    collectTasks(state.path(field), at + "." + field + ".", tasks);
                }
                default -> { }
            }
        }
    }
}
