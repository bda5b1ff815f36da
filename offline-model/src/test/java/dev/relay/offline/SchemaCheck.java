package dev.relay.offline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** An independent, small JSON Schema validator for the keywords the offline model claims to satisfy. */
final class SchemaCheck {

    private static final Map<String, Pattern> FORMATS = Map.of(
            "email", Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"),
            "uri", Pattern.compile("^[a-z][a-z0-9+.-]*:[^\\s]+$"));

    private final JsonNode root;
    private final List<String> errors = new ArrayList<>();

    private SchemaCheck(JsonNode root) {
        this.root = root;
    }

    /** What is wrong with the value; empty when it validates. */
    static List<String> errors(JsonNode schema, JsonNode value) {
        SchemaCheck check = new SchemaCheck(schema);
        check.check(schema, value, "");
        return check.errors;
    }

    private boolean valid(JsonNode schema, JsonNode value) {
        SchemaCheck nested = new SchemaCheck(root);
        nested.check(schema, value, "");
        return nested.errors.isEmpty();
    }

    private void check(JsonNode s, JsonNode v, String path) {
        if (s.has("$ref")) {
            check(root.at(s.get("$ref").asText().substring(1)), v, path);
        }
        s.path("allOf").forEach(part -> check(part, v, path));
        if (s.has("anyOf") && s.get("anyOf").valueStream().noneMatch(alt -> valid(alt, v))) {
            errors.add(path + ": matches no anyOf alternative");
        }
        if (s.has("oneOf") && s.get("oneOf").valueStream().filter(alt -> valid(alt, v)).count() != 1) {
            errors.add(path + ": does not match exactly one oneOf alternative");
        }
        if (s.has("type") && (s.get("type").isArray() ? s.get("type").valueStream() : java.util.stream.Stream.of(s.get("type")))
                .noneMatch(t -> hasType(v, t.asText()))) {
            errors.add(path + ": " + v + " is not of type " + s.get("type"));
        }
        if (s.has("enum") && s.get("enum").valueStream().noneMatch(v::equals)) {
            errors.add(path + ": " + v + " is not in " + s.get("enum"));
        }
        if (s.has("const") && !s.get("const").equals(v)) {
            errors.add(path + ": " + v + " is not " + s.get("const"));
        }
        if (v.isObject()) {
            s.path("required").forEach(r -> { if (!v.has(r.asText())) errors.add(path + ": misses required " + r); });
            v.properties().forEach(p -> {
                JsonNode property = s.path("properties").get(p.getKey());
                if (property != null) {
                    check(property, p.getValue(), path + "/" + p.getKey());
                } else if (s.path("additionalProperties").isBoolean() && !s.get("additionalProperties").asBoolean()) {
                    errors.add(path + ": has additional property " + p.getKey());
                } else if (s.path("additionalProperties").isObject()) {
                    check(s.get("additionalProperties"), p.getValue(), path + "/" + p.getKey());
                }
            });
        }
        if (v.isArray()) {
            bound(v.size() >= s.path("minItems").asInt(0) && v.size() <= s.path("maxItems").asInt(Integer.MAX_VALUE), path, "item count " + v.size());
            for (int i = 0; i < v.size(); i++) {
                if (s.has("items")) {
                    check(s.get("items"), v.get(i), path + "/" + i);
                }
            }
        }
        if (v.isNumber()) {
            double x = v.asDouble();
            bound(!s.has("minimum") || x >= s.get("minimum").asDouble(), path, x + " below minimum");
            bound(!s.has("maximum") || x <= s.get("maximum").asDouble(), path, x + " above maximum");
            bound(!s.has("exclusiveMinimum") || x > s.get("exclusiveMinimum").asDouble(), path, x + " not above exclusiveMinimum");
            bound(!s.has("exclusiveMaximum") || x < s.get("exclusiveMaximum").asDouble(), path, x + " not below exclusiveMaximum");
        }
        if (v.isTextual()) {
            String text = v.asText();
            bound(text.length() >= s.path("minLength").asInt(0) && text.length() <= s.path("maxLength").asInt(Integer.MAX_VALUE), path, "length of '" + text + "'");
            bound(!s.has("pattern") || Pattern.compile(s.get("pattern").asText()).matcher(text).find(), path, "'" + text + "' misses pattern");
            bound(!s.has("format") || hasFormat(text, s.get("format").asText()), path, "'" + text + "' is no " + s.path("format").asText());
        }
    }

    private void bound(boolean ok, String path, String problem) {
        if (!ok) {
            errors.add(path + ": " + problem);
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static boolean hasFormat(String text, String format) {
        try {
            switch (format) {
                case "date-time" -> OffsetDateTime.parse(text);
                case "date" -> LocalDate.parse(text);
                case "uuid" -> {
                    if (!UUID.fromString(text).toString().equals(text)) {
                        return false;
                    }
                }
                default -> {
                    return !FORMATS.containsKey(format) || FORMATS.get(format).matcher(text).matches();
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
