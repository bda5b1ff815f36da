package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An intrinsic function call such as {@code States.Format('Hello {}', $.name)}: parsed once when the
 * definition is parsed, evaluated against the effective input and the context object. Failures are
 * {@code States.IntrinsicFailure}.
 */
public record IntrinsicFunction(String name, List<IntrinsicArgument> arguments) implements IntrinsicArgument {

    private static final int MAX_NESTING = 10;
    private static final int MAX_RANGE_ITEMS = 1000;
    private static final int MAX_ENCODE_CHARS = 10_000;

    /** Arity of each function: {min, max}; max -1 means unbounded. */
    private static final Map<String, int[]> ARITY = Map.ofEntries(
            Map.entry("States.Format", new int[] {1, -1}),
            Map.entry("States.StringToJson", new int[] {1, 1}),
            Map.entry("States.JsonToString", new int[] {1, 1}),
            Map.entry("States.Array", new int[] {0, -1}),
            Map.entry("States.ArrayPartition", new int[] {2, 2}),
            Map.entry("States.ArrayContains", new int[] {2, 2}),
            Map.entry("States.ArrayRange", new int[] {3, 3}),
            Map.entry("States.ArrayGetItem", new int[] {2, 2}),
            Map.entry("States.ArrayLength", new int[] {1, 1}),
            Map.entry("States.ArrayUnique", new int[] {1, 1}),
            Map.entry("States.Base64Encode", new int[] {1, 1}),
            Map.entry("States.Base64Decode", new int[] {1, 1}),
            Map.entry("States.Hash", new int[] {2, 2}),
            Map.entry("States.JsonMerge", new int[] {3, 3}),
            Map.entry("States.MathRandom", new int[] {2, 3}),
            Map.entry("States.MathAdd", new int[] {2, 2}),
            Map.entry("States.StringSplit", new int[] {2, 2}),
            Map.entry("States.UUID", new int[] {0, 0}));

    private static final Map<String, String> HASH_ALGORITHMS = Map.of(
            "MD5", "MD5", "SHA-1", "SHA-1", "SHA-256", "SHA-256", "SHA-384", "SHA-384", "SHA-512", "SHA-512");

    /** Whether a {@code .$} value is an intrinsic call rather than a path. */
    static boolean looksLikeCall(String text) {
        return text.startsWith("States.");
    }

    /** Parses a call; the message of the exception names what is wrong. */
    public static IntrinsicFunction parse(String text) {
        CallParser parser = new CallParser(text);
        IntrinsicFunction call = parser.call(1);
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw new IllegalArgumentException("unexpected '" + text.substring(parser.pos) + "' after the call in '"
                    + text + "'");
        }
        return call;
    }

    /** Evaluates against the effective input ({@code $}) and the context object ({@code $$}). */
    public JsonNode evaluate(JsonNode input, JsonNode context) {
        List<JsonNode> values = new ArrayList<>();
        for (IntrinsicArgument argument : arguments) {
            values.add(switch (argument) {
                case IntrinsicArgument.Literal literal -> literal.value();
                case IntrinsicArgument.PathArgument path -> {
                    JsonNode value = path.path().read(path.path().isContext() ? context : input);
                    if (value.isMissingNode()) {
                        throw failure("the path '" + path.path() + "' could not be found in the input");
                    }
                    yield value;
                }
                case IntrinsicFunction call -> call.evaluate(input, context);
            });
        }
        return apply(values);
    }

    private JsonNode apply(List<JsonNode> args) {
        return switch (name) {
            case "States.Format" -> format(args);
            case "States.StringToJson" -> {
                try {
                    yield Json.parse(text(args, 0));
                } catch (JsonProcessingException e) {
                    throw failure("the argument is not valid JSON: " + e.getOriginalMessage());
                }
            }
            case "States.JsonToString" -> Json.NODES.textNode(Json.write(args.get(0)));
            case "States.Array" -> Json.NODES.arrayNode().addAll(args);
            case "States.ArrayPartition" -> {
                ArrayNode array = array(args, 0);
                int size = integer(args, 1);
                if (size <= 0) {
                    throw failure("the chunk size must be positive, got " + size);
                }
                ArrayNode chunks = Json.NODES.arrayNode();
                for (int i = 0; i < array.size(); i += size) {
                    ArrayNode chunk = chunks.addArray();
                    for (int j = i; j < Math.min(i + size, array.size()); j++) {
                        chunk.add(array.get(j));
                    }
                }
                yield chunks;
            }
            case "States.ArrayContains" -> {
                boolean found = false;
                for (JsonNode element : array(args, 0)) {
                    found |= Json.sameValue(element, args.get(1));
                }
                yield Json.NODES.booleanNode(found);
            }
            case "States.ArrayRange" -> {
                int start = integer(args, 0);
                int end = integer(args, 1);
                int step = integer(args, 2);
                if (step == 0) {
                    throw failure("the step must not be 0");
                }
                ArrayNode range = Json.NODES.arrayNode();
                for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
                    if (range.size() == MAX_RANGE_ITEMS) {
                        throw failure("the range has more than " + MAX_RANGE_ITEMS + " items");
                    }
                    range.add((int) i);
                }
                yield range;
            }
            case "States.ArrayGetItem" -> {
                ArrayNode array = array(args, 0);
                int index = integer(args, 1);
                if (index < 0 || index >= array.size()) {
                    throw failure("index " + index + " is out of bounds for an array of " + array.size());
                }
                yield array.get(index);
            }
            case "States.ArrayLength" -> Json.NODES.numberNode(array(args, 0).size());
            case "States.ArrayUnique" -> {
                ArrayNode unique = Json.NODES.arrayNode();
                for (JsonNode element : array(args, 0)) {
                    boolean seen = false;
                    for (JsonNode kept : unique) {
                        seen |= Json.sameValue(kept, element);
                    }
                    if (!seen) {
                        unique.add(element);
                    }
                }
                yield unique;
            }
            case "States.Base64Encode" -> {
                String text = limited(text(args, 0));
                yield Json.NODES.textNode(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
            }
            case "States.Base64Decode" -> {
                try {
                    byte[] bytes = Base64.getDecoder().decode(limited(text(args, 0)));
                    yield Json.NODES.textNode(new String(bytes, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw failure("the argument is not valid base64: " + e.getMessage());
                }
            }
            case "States.Hash" -> hash(args);
            case "States.JsonMerge" -> {
                if (!args.get(0).isObject() || !args.get(1).isObject()) {
                    throw failure("both arguments to merge must be JSON objects");
                }
                if (!args.get(2).isBoolean()) {
                    throw failure("the third argument must be a boolean");
                }
                if (args.get(2).asBoolean()) {
                    throw failure("deep merge is not supported; pass false for a shallow merge");
                }
                ObjectNode merged = ((ObjectNode) args.get(0)).deepCopy();
                merged.setAll((ObjectNode) args.get(1).deepCopy());
                yield merged;
            }
            case "States.MathRandom" -> {
                int start = integer(args, 0);
                int end = integer(args, 1);
                if (end <= start) {
                    throw failure("the end (" + end + ") must be greater than the start (" + start + ")");
                }
                Random random = args.size() == 3 ? new Random(integer(args, 2)) : ThreadLocalRandom.current();
                yield Json.NODES.numberNode(random.nextInt(start, end));
            }
            case "States.MathAdd" -> Json.integer((long) integer(args, 0) + integer(args, 1));
            case "States.StringSplit" -> {
                StringTokenizer tokens = new StringTokenizer(text(args, 0), text(args, 1));
                ArrayNode parts = Json.NODES.arrayNode();
                while (tokens.hasMoreTokens()) {
                    parts.add(tokens.nextToken());
                }
                yield parts;
            }
            case "States.UUID" -> Json.NODES.textNode(UUID.randomUUID().toString());
            default -> throw failure("unknown function");
        };
    }

    private JsonNode format(List<JsonNode> args) {
        if (!args.get(0).isTextual()) {
            throw failure("the template must be a string");
        }
        // A literal template keeps its escapes: \{ and \} are braces, not placeholders.
        String template = arguments.get(0) instanceof IntrinsicArgument.Literal literal && literal.raw() != null
                ? literal.raw() : args.get(0).asText();
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                out.append(template.charAt(++i));
            } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                if (next >= args.size()) {
                    throw failure("the template has more placeholders than the " + (args.size() - 1)
                            + " argument(s) given");
                }
                JsonNode value = args.get(next++);
                out.append(value.isTextual() ? value.asText() : Json.write(value));
                i++;
            } else {
                out.append(c);
            }
        }
        if (next != args.size()) {
            throw failure("the template has " + (next - 1) + " placeholder(s) but " + (args.size() - 1)
                    + " argument(s) were given");
        }
        return Json.NODES.textNode(out.toString());
    }

    private JsonNode hash(List<JsonNode> args) {
        String algorithm = HASH_ALGORITHMS.get(text(args, 1));
        if (algorithm == null) {
            throw failure("the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got '"
                    + args.get(1).asText() + "'");
        }
        JsonNode data = args.get(0);
        String text = limited(data.isTextual() ? data.asText() : Json.write(data));
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            return Json.NODES.textNode(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String limited(String text) {
        if (text.length() > MAX_ENCODE_CHARS) {
            throw failure("the input is longer than " + MAX_ENCODE_CHARS + " characters");
        }
        return text;
    }

    private String text(List<JsonNode> args, int index) {
        if (!args.get(index).isTextual()) {
            throw failure("argument " + (index + 1) + " must be a string, got " + Json.describe(args.get(index)));
        }
        return args.get(index).asText();
    }

    private ArrayNode array(List<JsonNode> args, int index) {
        if (!(args.get(index) instanceof ArrayNode array)) {
            throw failure("argument " + (index + 1) + " must be an array, got " + Json.describe(args.get(index)));
        }
        return array;
    }

    private int integer(List<JsonNode> args, int index) {
        JsonNode value = args.get(index);
        if (value.isNumber()) {
            BigDecimal decimal = value.decimalValue();
            try {
                if (decimal.stripTrailingZeros().scale() <= 0) {
                    return decimal.intValueExact();
                }
            } catch (ArithmeticException ignored) {
                // fall through to the error below: out of int range
            }
        }
        throw failure("argument " + (index + 1) + " must be an integer, got " + Json.describe(value));
    }

    private StatesError failure(String problem) {
        return new StatesError(StatesError.INTRINSIC_FAILURE, "Invalid arguments in " + name + ": " + problem);
    }

    private static final class CallParser {
        private final String text;
        private int pos;

        CallParser(String text) {
            this.text = text;
        }

        IntrinsicFunction call(int depth) {
            if (depth > MAX_NESTING) {
                throw error("intrinsic functions nest at most " + MAX_NESTING + " deep");
            }
            skipSpace();
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            String name = text.substring(start, pos);
            int[] arity = ARITY.get(name);
            if (arity == null) {
                throw error("'" + name + "' is not an intrinsic function");
            }
            skipSpace();
            expect('(');
            List<IntrinsicArgument> arguments = new ArrayList<>();
            skipSpace();
            if (!peek(')')) {
                do {
                    arguments.add(argument(depth));
                    skipSpace();
                } while (consume(','));
            }
            expect(')');
            if (arguments.size() < arity[0] || arity[1] >= 0 && arguments.size() > arity[1]) {
                String expected = arity[1] < 0 ? "at least " + arity[0]
                        : arity[0] == arity[1] ? String.valueOf(arity[0]) : arity[0] + " to " + arity[1];
                throw error(name + " takes " + expected + " argument(s), got " + arguments.size());
            }
            return new IntrinsicFunction(name, List.copyOf(arguments));
        }

        private IntrinsicArgument argument(int depth) {
            skipSpace();
            if (pos >= text.length()) {
                throw error("missing argument");
            }
            char c = text.charAt(pos);
            if (c == '\'') {
                return string();
            }
            if (c == '$') {
                int start = pos;
                pos = JsonPath.end(text, pos, d -> d == ',');
                String path = text.substring(start, pos).trim();
                try {
                    return new IntrinsicArgument.PathArgument(JsonPath.parse(path));
                } catch (IllegalArgumentException e) {
                    throw error(e.getMessage());
                }
            }
            if (text.startsWith("States.", pos)) {
                return call(depth + 1);
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ')') {
                pos++;
            }
            String word = text.substring(start, pos).trim();
            JsonNode value = switch (word) {
                case "true" -> Json.NODES.booleanNode(true);
                case "false" -> Json.NODES.booleanNode(false);
                case "null" -> Json.NODES.nullNode();
                default -> {
                    try {
                        new BigDecimal(word);
                        // Parsed as Jackson parses input, so a literal 5 equals a 5 from the input.
                        yield Json.parse(word);
                    } catch (NumberFormatException | JsonProcessingException e) {
                        throw error("'" + word + "' is not a string, number, boolean, null, path or call");
                    }
                }
            };
            return new IntrinsicArgument.Literal(value, null);
        }

        private IntrinsicArgument.Literal string() {
            int start = ++pos;
            StringBuilder value = new StringBuilder();
            while (pos < text.length() && text.charAt(pos) != '\'') {
                char c = text.charAt(pos);
                if (c == '\\') {
                    if (pos + 1 >= text.length()) {
                        throw error("dangling '\\' in a string literal");
                    }
                    c = text.charAt(++pos);
                }
                value.append(c);
                pos++;
            }
            if (pos >= text.length()) {
                throw error("unclosed string literal");
            }
            String raw = text.substring(start, pos);
            pos++;
            return new IntrinsicArgument.Literal(Json.NODES.textNode(value.toString()), raw);
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private boolean consume(char c) {
            skipSpace();
            if (peek(c)) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            skipSpace();
            if (!peek(c)) {
                throw error("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("invalid intrinsic function '" + text + "': " + problem);
        }
    }
}
