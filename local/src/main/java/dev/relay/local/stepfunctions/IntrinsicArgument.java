package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;

/** An argument of an intrinsic function: a literal, a path into the input or context, or a nested call. */
public sealed interface IntrinsicArgument
        permits IntrinsicArgument.Literal, IntrinsicArgument.PathArgument, IntrinsicFunction {

    /** A literal; {@code raw} keeps a string's escapes because States.Format treats {@code \{} as a brace. */
    record Literal(JsonNode value, String raw) implements IntrinsicArgument {}

    record PathArgument(JsonPath path) implements IntrinsicArgument {}

    /** The value of a path or call argument (also used for a Fail state's ErrorPath / CausePath). */
    static JsonNode evaluate(IntrinsicArgument argument, JsonNode input, JsonNode context) {
        return switch (argument) {
            case Literal literal -> literal.value();
            case PathArgument path -> path.path().read(path.path().isContext() ? context : input);
            case IntrinsicFunction call -> call.evaluate(input, context);
        };
    }
}
