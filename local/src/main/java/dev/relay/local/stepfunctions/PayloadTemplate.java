package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Parameters / ResultSelector / ItemSelector object: fields whose names end in {@code .$} take their value
 * from a path or an intrinsic function, all others are copied as they are.
 */
public final class PayloadTemplate {
    private final Node root;

    private PayloadTemplate(Node root) {
        this.root = root;
    }

    private sealed interface Node permits Constant, ObjectTemplate, ArrayTemplate, PathValue, CallValue {}

    private record Constant(JsonNode value) implements Node {}

    private record Field(String name, Node value) {}

    private record ObjectTemplate(List<Field> fields) implements Node {}

    private record ArrayTemplate(List<Node> elements) implements Node {}

    private record PathValue(String field, JsonPath path) implements Node {}

    private record CallValue(IntrinsicFunction call) implements Node {}

    /** Compiles {@code template}, adding one message per bad {@code .$} field to {@code problems}. */
    static PayloadTemplate compile(JsonNode template, String location, List<String> problems) {
        return new PayloadTemplate(compileNode(template, location, problems));
    }

    private static Node compileNode(JsonNode node, String location, List<String> problems) {
        if (node.isObject()) {
            List<Field> fields = new ArrayList<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String key = entry.getKey();
                String where = location + "." + key;
                if (key.endsWith(".$")) {
                    String name = key.substring(0, key.length() - 2);
                    Node value = compileDynamic(entry.getValue(), key, where, problems);
                    fields.add(new Field(name, value));
                } else {
                    fields.add(new Field(key, compileNode(entry.getValue(), where, problems)));
                }
            }
            return new ObjectTemplate(List.copyOf(fields));
        }
        if (node.isArray()) {
            List<Node> elements = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                elements.add(compileNode(node.get(i), location + "[" + i + "]", problems));
            }
            return new ArrayTemplate(List.copyOf(elements));
        }
        return new Constant(node);
    }

    private static Node compileDynamic(JsonNode value, String key, String where, List<String> problems) {
        if (!value.isTextual()) {
            problems.add(where + ": the value of a field ending in '.$' must be a path or an intrinsic function, got "
                    + Json.describe(value));
            return new Constant(value);
        }
        String text = value.asText();
        try {
            if (IntrinsicFunction.looksLikeCall(text)) {
                return new CallValue(IntrinsicFunction.parse(text));
            }
            return new PathValue(key, JsonPath.parse(text));
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return new Constant(value);
        }
    }

    /** Builds the payload from the effective input ({@code $}) and context object ({@code $$}). */
    JsonNode evaluate(JsonNode input, JsonNode context) {
        return evaluate(root, input, context);
    }

    private static JsonNode evaluate(Node node, JsonNode input, JsonNode context) {
        return switch (node) {
            case Constant constant -> constant.value().deepCopy();
            case ObjectTemplate object -> {
                ObjectNode out = Json.object();
                for (Field field : object.fields()) {
                    out.set(field.name(), evaluate(field.value(), input, context));
                }
                yield out;
            }
            case ArrayTemplate array -> {
                ArrayNode out = Json.NODES.arrayNode();
                for (Node element : array.elements()) {
                    out.add(evaluate(element, input, context));
                }
                yield out;
            }
            case PathValue path -> {
                JsonNode source = path.path().isContext() ? context : input;
                JsonNode value = path.path().read(source);
                if (value.isMissingNode()) {
                    throw new StatesError(StatesError.RUNTIME, "The JSONPath '" + path.path() + "' specified for the field '"
                            + path.field() + "' could not be found in the input '" + Json.write(source) + "'");
                }
                yield value.deepCopy();
            }
            case CallValue call -> call.call().evaluate(input, context);
        };
    }
}
