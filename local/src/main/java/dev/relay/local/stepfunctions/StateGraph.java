package dev.relay.local.stepfunctions;

import java.util.Map;

/** {@code StartAt} plus {@code States}: the top level of a machine, a Parallel branch or a Map item processor. */
public record StateGraph(String startAt, Map<String, State> states) {
    State state(String name) {
        State state = states.get(name);
        if (state == null) {
            throw new StatesError(StatesError.RUNTIME, "state '" + name + "' does not exist");
        }
        return state;
    }
}
