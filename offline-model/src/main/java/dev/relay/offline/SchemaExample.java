package dev.relay.offline;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Builds a value that validates against a JSON Schema: the content of a {@code json_schema} answer.
 *
 * <p>Every property is emitted (OpenAI strict mode requires all), except optional ones once a {@code $ref}
 * recurses. Enums and booleans follow {@link PromptSteering} when the prompt names a value, otherwise a hash of
 * the messages and the value's path. Numbers sit in the middle of two bounds, or at 1 (integers) / 0.5 moved
 * inside a single bound; strings are short offline texts named after their property; arrays have one item
 * unless minItems/maxItems say otherwise; anyOf/oneOf take their first alternative, allOf is merged.
 * A schema that cannot be satisfied, or uses {@code not}, {@code if}, {@code contains}, {@code propertyNames},
 * {@code dependentSchemas} or a non-local {@code $ref}, is a 400 naming {@link #PARAM} and the value's path.
 */
final class SchemaExample {

    static final String PARAM = "response_format.json_schema.schema";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 64;
    private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    // A list, not a set: with two of them in one schema, the error must name the same one every run.
    private static final List<String> UNSUPPORTED = List.of("not", "if", "contains", "propertyNames", "dependentSchemas");
    private static final Set<String> LOWER_BOUNDS = Set.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties");
    private static final Set<String> UPPER_BOUNDS = Set.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties");

    private final JsonNode root;
    private final String schemaName;
    private final Seed seed;
    private final PromptSteering steering;

    private SchemaExample(JsonNode root, String schemaName, Seed seed, PromptSteering steering) {
        this.root = root;
        this.schemaName = schemaName;
        this.seed = seed;
        this.steering = steering;
    }

    static JsonNode generate(JsonNode schema, String schemaName, Seed seed, PromptSteering steering) {
        return new SchemaExample(schema, schemaName, seed, steering).value(schema, new At("", schemaName, 0, List.of()));
    }

    /** Where a value goes: its JSON pointer, the property it belongs to, and the {@code $ref}s taken to get there. */
    private record At(String path, String name, int depth, List<String> refs) {

        At child(String segment, String childName) {
            return new At(path + "/" + segment.replace("~", "~0").replace("/", "~1"), childName, depth + 1, refs);
        }

        At through(String ref) {
            return new At(path, name, depth, Stream.concat(refs.stream(), Stream.of(ref)).toList());
        }

        // A recursive schema must stop: past a repeated $ref, arrays are as short and types as null as allowed.
        boolean recursing() {
            return new HashSet<>(refs).size() < refs.size();
        }

        /** The index when this value is an array item, else 0. */
        int arrayIndex() {
            return isItem() ? Integer.parseInt(lastSegment()) : 0;
        }

        /** The path shared by all items of one array, or this path when the value is not an item. */
        String itemsPath() {
            return isItem() ? path.substring(0, path.lastIndexOf('/')) + "/*" : path;
        }

        private boolean isItem() {
            String last = lastSegment();
            return !last.isEmpty() && last.length() < 10 && last.chars().allMatch(Character::isDigit);
        }

        private String lastSegment() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        // Items of one array take successive choices from one hashed start, so they differ while they can.
        int spread(int start, int choices) {
            return (start + arrayIndex()) % choices;
        }
    }

    private record Flat(ObjectNode schema, At at) {
    }

    private JsonNode value(JsonNode schema, At at) {
        if (at.depth() > MAX_DEPTH) {
            throw unsatisfiable(at, "the schema nests deeper than " + MAX_DEPTH + " levels");
        }
        Flat flat = flatten(asObject(schema, at), at);
        return flatValue(flat.schema(), flat.at());
    }

    private JsonNode flatValue(ObjectNode s, At at) {
        for (String keyword : UNSUPPORTED) {
            if (s.has(keyword)) {
                throw unsatisfiable(at, "'" + keyword + "' is not supported by the relay offline model");
            }
        }
        List<String> types = types(s, at);
        if (s.has("const")) {
            return s.get("const").deepCopy();
        }
        if (s.has("enum")) {
            return enumValue(s, types, at);
        }
        String type = at.recursing() && types.contains("null") ? "null"
                : types.stream().filter(t -> !t.equals("null")).findFirst().orElse("null");
        return switch (type) {
            case "object" -> object(s, at);
            case "array" -> array(s, at);
            case "string" -> NODES.textNode(string(s, at));
            case "integer" -> NODES.numberNode(integer(s, at));
            case "number" -> NODES.numberNode(number(s, at));
            case "boolean" -> NODES.booleanNode(steering.booleanValue(at.name()).orElseGet(() -> at.spread(seed.pick(at.itemsPath(), 2), 2) == 0));
            default -> NODES.nullNode();
        };
    }

    private ObjectNode asObject(JsonNode schema, At at) {
        if (schema.isBoolean() && schema.asBoolean()) {
            return NODES.objectNode();
        }
        if (!schema.isObject()) {
            throw unsatisfiable(at, "expected a schema object but found " + schema);
        }
        return (ObjectNode) schema;
    }

    /** Resolves $ref, allOf, anyOf and oneOf into one plain schema (anyOf/oneOf: the first alternative). */
    private Flat flatten(ObjectNode schema, At at) {
        ObjectNode s = schema;
        for (int steps = 0; steps < MAX_DEPTH; steps++) {
            if (s.has("$ref")) {
                String ref = s.get("$ref").asText();
                s = merge(without(s, "$ref"), resolve(ref, at), at);
                at = at.through(ref);
            } else if (s.has("allOf")) {
                ObjectNode merged = without(s, "allOf");
                for (JsonNode part : s.get("allOf")) {
                    merged = merge(merged, part, at);
                }
                s = merged;
            } else if (s.has("anyOf") || s.has("oneOf")) {
                String keyword = s.has("anyOf") ? "anyOf" : "oneOf";
                s = merge(without(s, keyword), alternative(s.get(keyword), keyword, at), at);
            } else {
                return new Flat(s, at);
            }
        }
        throw unsatisfiable(at, "$ref/allOf/anyOf do not come to an end after " + MAX_DEPTH + " steps");
    }

    private JsonNode resolve(String ref, At at) {
        if (!ref.startsWith("#")) {
            throw unsatisfiable(at, "only local $ref like '#/$defs/Name' is supported, not '" + ref + "'");
        }
        JsonNode target;
        try {
            target = root.at(JsonPointer.compile(ref.substring(1)));
        } catch (IllegalArgumentException e) {
            throw unsatisfiable(at, "$ref '" + ref + "' is not a JSON pointer");
        }
        if (target.isMissingNode()) {
            throw unsatisfiable(at, "$ref '" + ref + "' does not resolve");
        }
        return target;
    }

    private JsonNode alternative(JsonNode alternatives, String keyword, At at) {
        if (!alternatives.isArray() || alternatives.isEmpty()) {
            throw unsatisfiable(at, "'" + keyword + "' needs at least one alternative");
        }
        if (at.recursing()) {
            for (JsonNode alternative : alternatives) {
                if (alternative.path("type").asText("").equals("null")) {
                    return alternative;
                }
            }
        }
        return alternatives.get(0);
    }

    /** Both schemas at once: properties and required are united, bounds tightened, type and enum intersected. */
    private ObjectNode merge(ObjectNode base, JsonNode overlay, At at) {
        ObjectNode out = base.deepCopy();
        for (var field : asObject(overlay, at).properties()) {
            String key = field.getKey();
            JsonNode mine = out.get(key);
            JsonNode theirs = field.getValue();
            if (mine == null) {
                out.set(key, theirs);
            } else if (key.equals("properties")) {
                ObjectNode properties = mine.deepCopy();
                theirs.properties().forEach(p -> properties.set(p.getKey(),
                        properties.has(p.getKey()) ? allOf(properties.get(p.getKey()), p.getValue()) : p.getValue()));
                out.set(key, properties);
            } else if (key.equals("required")) {
                Set<String> names = new LinkedHashSet<>();
                Stream.of(mine, theirs).forEach(list -> list.forEach(n -> names.add(n.asText())));
                ArrayNode required = out.putArray(key);
                names.forEach(required::add);
            } else if ((LOWER_BOUNDS.contains(key) || UPPER_BOUNDS.contains(key)) && mine.isNumber() && theirs.isNumber()) {
                boolean lower = LOWER_BOUNDS.contains(key);
                int order = mine.decimalValue().compareTo(theirs.decimalValue());
                out.set(key, (lower ? order >= 0 : order <= 0) ? mine : theirs);
            } else if (key.equals("type")) {
                List<String> common = typeList(mine).stream().filter(typeList(theirs)::contains).toList();
                if (common.isEmpty()) {
                    throw unsatisfiable(at, "allOf/$ref combine types " + mine + " and " + theirs + " that share no value");
                }
                ArrayNode type = out.putArray(key);
                common.forEach(type::add);
            } else if (key.equals("enum")) {
                ArrayNode common = NODES.arrayNode();
                mine.forEach(v -> { if (contains(theirs, v)) common.add(v); });
                out.set(key, common);
            } else if (key.equals("$ref") || key.equals("allOf") || key.equals("anyOf") || key.equals("oneOf")) {
                // Both sides combine further: keep both by deferring the overlay's to an allOf.
                ArrayNode deferred = out.has("allOf") && !key.equals("allOf") ? (ArrayNode) out.get("allOf") : NODES.arrayNode();
                if (key.equals("allOf")) {
                    mine.forEach(deferred::add);
                    theirs.forEach(deferred::add);
                } else {
                    deferred.add(NODES.objectNode().set(key, theirs));
                }
                out.set("allOf", deferred);
            } else {
                out.set(key, theirs);
            }
        }
        return out;
    }

    private static ObjectNode allOf(JsonNode a, JsonNode b) {
        ObjectNode both = NODES.objectNode();
        both.putArray("allOf").add(a).add(b);
        return both;
    }

    private static ObjectNode without(ObjectNode schema, String keyword) {
        ObjectNode copy = schema.deepCopy();
        copy.remove(keyword);
        return copy;
    }

    private List<String> types(ObjectNode s, At at) {
        List<String> types = s.has("type") ? typeList(s.get("type")) : List.of(inferredType(s));
        for (String type : types) {
            if (!TYPES.contains(type)) {
                throw unsatisfiable(at, "unknown type '" + type + "'");
            }
        }
        if (types.isEmpty()) {
            throw unsatisfiable(at, "'type' lists no type");
        }
        return types;
    }

    private static List<String> typeList(JsonNode type) {
        List<String> types = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            types.add(type.asText());
        }
        return types;
    }

    // Without "type", the keywords present say what is meant; a bare {} gets a string.
    private static String inferredType(ObjectNode s) {
        if (s.has("properties") || s.has("required") || s.has("additionalProperties")) {
            return "object";
        }
        if (s.has("items") || s.has("prefixItems") || s.has("minItems") || s.has("maxItems")) {
            return "array";
        }
        if (s.has("minimum") || s.has("maximum") || s.has("exclusiveMinimum") || s.has("exclusiveMaximum")) {
            return "number";
        }
        return "string";
    }

    private JsonNode enumValue(ObjectNode s, List<String> types, At at) {
        List<JsonNode> values = new ArrayList<>();
        s.get("enum").forEach(v -> { if (!s.has("type") || types.stream().anyMatch(t -> hasType(v, t))) values.add(v); });
        if (values.isEmpty()) {
            throw unsatisfiable(at, "no enum value fits the schema");
        }
        return steering.enumValue(at.name(), values)
                .orElseGet(() -> values.get(at.spread(seed.pick(at.itemsPath(), values.size()), values.size())))
                .deepCopy();
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> value.isNull();
        };
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode element : array) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode object(ObjectNode s, At at) {
        ObjectNode out = NODES.objectNode();
        Set<String> required = new LinkedHashSet<>();
        s.path("required").forEach(name -> required.add(name.asText()));
        s.path("properties").properties().forEach(p -> {
            // Inside a recursion only required properties are emitted, so optional self-references end it.
            if (!at.recursing() || required.contains(p.getKey())) {
                out.set(p.getKey(), value(p.getValue(), at.child(p.getKey(), p.getKey())));
            }
        });
        JsonNode additional = s.path("additionalProperties");
        for (String name : required) {
            if (!out.has(name)) {
                if (additional.isBoolean() && !additional.asBoolean()) {
                    throw unsatisfiable(at, "'" + name + "' is required but not among the properties, and additionalProperties is false");
                }
                out.set(name, value(additional.isObject() ? additional : NODES.objectNode(), at.child(name, name)));
            }
        }
        if (out.size() < s.path("minProperties").asInt(0) || out.size() > s.path("maxProperties").asInt(Integer.MAX_VALUE)) {
            throw unsatisfiable(at, "the offline model emits " + out.size() + " properties here, outside minProperties/maxProperties");
        }
        return out;
    }

    private ArrayNode array(ObjectNode s, At at) {
        int min = s.path("minItems").asInt(0);
        int max = s.path("maxItems").asInt(Integer.MAX_VALUE);
        // Draft 4 tuples are "items": [...]; 2020-12 has "prefixItems" and "items" for the rest.
        JsonNode prefix = s.path("items").isArray() ? s.get("items") : s.path("prefixItems");
        JsonNode rest = s.path("items").isArray() ? s.path("additionalItems") : s.path("items");
        if (rest.isBoolean() && !rest.asBoolean()) {
            max = Math.min(max, prefix.size());
        }
        if (min > max) {
            throw unsatisfiable(at, "minItems " + min + " is more than the " + max + " items allowed");
        }
        int count = at.recursing() ? min : Math.max(min, Math.min(Math.max(1, prefix.size()), max));
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            JsonNode item = i < prefix.size() ? prefix.get(i) : rest.isMissingNode() ? NODES.objectNode() : rest;
            out.add(value(item, at.child(Integer.toString(i), at.name())));
        }
        if (s.path("uniqueItems").asBoolean(false) && new HashSet<>(iterate(out)).size() < out.size()) {
            throw unsatisfiable(at, "could not make " + count + " unique items");
        }
        return out;
    }

    private static List<JsonNode> iterate(ArrayNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    private String string(ObjectNode s, At at) {
        int min = s.path("minLength").asInt(0);
        int max = s.path("maxLength").asInt(Integer.MAX_VALUE);
        if (min > max) {
            throw unsatisfiable(at, "minLength " + min + " is more than maxLength " + max);
        }
        String formatted = formatted(s.path("format").asText(""), at);
        if (formatted != null) {
            if (formatted.length() < min || formatted.length() > max) {
                throw unsatisfiable(at, "format '" + s.get("format").asText() + "' does not fit minLength/maxLength");
            }
            return matchingPattern(s, List.of(formatted), at);
        }
        String base = "offline " + words(at.name()) + (at.arrayIndex() > 0 ? " " + (at.arrayIndex() + 1) : "");
        String text = base;
        while (text.length() < min) {
            text = text + " " + base;
        }
        String bounded = text.substring(0, Math.min(text.length(), max));
        return matchingPattern(s, List.of(bounded, "offline", "x", "a", "A", "0", "1"), at);
    }

    // "pattern" is searched, not anchored (ECMA semantics); only a few plain candidates are tried.
    private String matchingPattern(ObjectNode s, List<String> candidates, At at) {
        if (!s.has("pattern")) {
            return candidates.get(0);
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(s.get("pattern").asText());
        } catch (PatternSyntaxException e) {
            throw unsatisfiable(at, "pattern '" + s.get("pattern").asText() + "' is not a valid regular expression");
        }
        int min = s.path("minLength").asInt(0);
        int max = s.path("maxLength").asInt(Integer.MAX_VALUE);
        return candidates.stream()
                .filter(c -> c.length() >= min && c.length() <= max && pattern.matcher(c).find())
                .findFirst()
                .orElseThrow(() -> unsatisfiable(at, "pattern '" + pattern + "' is not supported by the relay offline model"));
    }

    private String formatted(String format, At at) {
        return switch (format) {
            case "date-time" -> "2025-01-01T00:00:00Z";
            case "date" -> "2025-01-01";
            case "time" -> "00:00:00Z";
            case "duration" -> "PT1M";
            case "email" -> "offline@relay.example";
            case "hostname" -> "offline.relay.example";
            case "ipv4" -> "127.0.0.1";
            case "ipv6" -> "::1";
            case "uri", "url" -> "https://offline.relay.example/" + at.path().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
            case "uuid" -> UUID.nameUUIDFromBytes(seed.bytesFor(at.path())).toString();
            default -> null;
        };
    }

    // "rootCause", "root_cause" and "root-cause" all read "root cause".
    private static String words(String name) {
        if (name == null || name.isBlank()) {
            return "text";
        }
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("[_\\-\\s]+", " ").trim().toLowerCase(Locale.ROOT);
    }

    private long integer(ObjectNode s, At at) {
        BigDecimal low = lowerBound(s);
        BigDecimal high = upperBound(s);
        long lo = low == null ? Long.MIN_VALUE
                : exclusive(s, "Minimum") ? low.setScale(0, RoundingMode.FLOOR).longValueExact() + 1 : low.setScale(0, RoundingMode.CEILING).longValueExact();
        long hi = high == null ? Long.MAX_VALUE
                : exclusive(s, "Maximum") ? high.setScale(0, RoundingMode.CEILING).longValueExact() - 1 : high.setScale(0, RoundingMode.FLOOR).longValueExact();
        if (lo > hi) {
            throw unsatisfiable(at, "no integer lies within the bounds");
        }
        long value = low != null && high != null ? lo + (hi - lo) / 2 : Math.max(lo, Math.min(hi, 1));
        if (s.has("multipleOf")) {
            long step = s.get("multipleOf").asLong();
            if (step <= 0 || s.get("multipleOf").decimalValue().stripTrailingZeros().scale() > 0) {
                throw unsatisfiable(at, "multipleOf for an integer must be a positive integer");
            }
            value = Math.ceilDiv(value, step) * step;
            if (value > hi) {
                value -= step;
            }
            if (value < lo) {
                throw unsatisfiable(at, "no multiple of " + step + " lies within the bounds");
            }
        }
        return value;
    }

    private BigDecimal number(ObjectNode s, At at) {
        BigDecimal low = lowerBound(s);
        BigDecimal high = upperBound(s);
        boolean openLow = exclusive(s, "Minimum");
        boolean openHigh = exclusive(s, "Maximum");
        BigDecimal half = new BigDecimal("0.5");
        BigDecimal value;
        if (low != null && high != null) {
            int order = low.compareTo(high);
            if (order > 0 || (order == 0 && (openLow || openHigh))) {
                throw unsatisfiable(at, "no number lies within the bounds");
            }
            value = low.add(high).divide(BigDecimal.TWO);
        } else if (low != null) {
            value = half.compareTo(low) > 0 ? half : openLow ? low.add(BigDecimal.ONE) : low;
        } else if (high != null) {
            value = half.compareTo(high) < 0 ? half : openHigh ? high.subtract(BigDecimal.ONE) : high;
        } else {
            value = half;
        }
        if (s.has("multipleOf")) {
            BigDecimal step = s.get("multipleOf").decimalValue();
            if (step.signum() <= 0) {
                throw unsatisfiable(at, "multipleOf must be positive");
            }
            value = value.divide(step, 0, RoundingMode.CEILING).multiply(step);
            if (high != null && (value.compareTo(high) > 0 || (openHigh && value.compareTo(high) == 0))) {
                value = value.subtract(step);
            }
            if (low != null && (value.compareTo(low) < 0 || (openLow && value.compareTo(low) == 0))) {
                throw unsatisfiable(at, "no multiple of " + step + " lies within the bounds");
            }
        }
        return value.stripTrailingZeros();
    }

    // The tighter of minimum and exclusiveMinimum; draft 4's boolean exclusiveMinimum modifies minimum instead.
    private static BigDecimal lowerBound(ObjectNode s) {
        return tighter(s.get("minimum"), s.get("exclusiveMinimum"), 1);
    }

    private static BigDecimal upperBound(ObjectNode s) {
        return tighter(s.get("maximum"), s.get("exclusiveMaximum"), -1);
    }

    private static BigDecimal tighter(JsonNode inclusive, JsonNode exclusive, int sign) {
        BigDecimal a = inclusive != null && inclusive.isNumber() ? inclusive.decimalValue() : null;
        BigDecimal b = exclusive != null && exclusive.isNumber() ? exclusive.decimalValue() : null;
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return a.compareTo(b) * sign > 0 ? a : b;
    }

    /** Whether the tighter bound on that side ("Minimum" or "Maximum") excludes its value. */
    private static boolean exclusive(ObjectNode s, String side) {
        JsonNode inclusive = s.get(side.toLowerCase(Locale.ROOT));
        JsonNode exclusive = s.get("exclusive" + side);
        if (exclusive == null) {
            return false;
        }
        if (exclusive.isBoolean()) {
            return exclusive.asBoolean();
        }
        if (inclusive == null || !inclusive.isNumber()) {
            return true;
        }
        int order = exclusive.decimalValue().compareTo(inclusive.decimalValue());
        return side.equals("Minimum") ? order >= 0 : order <= 0;
    }

    private OpenAiError unsatisfiable(At at, String problem) {
        List<String> segments = List.of(at.path().split("/", -1));
        // A runaway recursion's path is shortened to its first and last steps.
        String where = at.path().isEmpty() ? "(root)" : segments.size() <= 9 ? at.path()
                : String.join("/", segments.subList(0, 5)) + "/.../" + String.join("/", segments.subList(segments.size() - 4, segments.size()));
        return OpenAiError.invalidRequest(PARAM,
                "Invalid schema for response_format '" + schemaName + "': at " + where + ": " + problem + ".");
    }
}
