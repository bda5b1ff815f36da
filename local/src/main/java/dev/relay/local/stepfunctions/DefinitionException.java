package dev.relay.local.stepfunctions;

import java.util.List;

/**
 * A definition Step Functions would reject with InvalidDefinition; each problem names its JSON location,
 * e.g. {@code States.ChargeCard.Catch[0].Next: state 'RefundCardX' does not exist}.
 */
public final class DefinitionException extends RuntimeException {
    private final List<String> problems;

    public DefinitionException(List<String> problems) {
        super("Invalid State Machine Definition: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
