package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parsed and validated state machine definition (JSONPath query language). */
public record StateMachineDefinition(StateGraph graph, Integer timeoutSeconds, String comment, JsonNode json) {

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
}
