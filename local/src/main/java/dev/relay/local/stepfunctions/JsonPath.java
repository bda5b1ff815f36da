package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONPath dialect ASL uses, read and written directly on Jackson trees.
 *
 * <p>Own implementation rather than Jayway: ResultPath must <em>write</em> into a copy of the input, creating
 * missing objects, Reference Paths must be recognised statically, and both need errors naming the path; that
 * is a small grammar ({@code $}, {@code .a}, {@code ['a']}, {@code [0]}, {@code [*]}, {@code ..a}, unions,
 * slices, simple filters) and keeps the engine free of a JSON-provider adapter. A definite path reads one
 * node; an indefinite one (wildcard, deep scan, union, slice, filter) reads an array of matches, as Jayway
 * does and therefore as Step Functions does.
 */
public final class JsonPath {
    static final JsonPath ROOT = new JsonPath("$", false, List.of());

    private final String text;
    private final boolean context;
    private final List<Segment> segments;

    private JsonPath(String text, boolean context, List<Segment> segments) {
        this.text = text;
        this.context = context;
        this.segments = segments;
    }

    /** Parses {@code $...} (data) or {@code $$...} (context object). */
    public static JsonPath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("a path must start with '$': " + text);
        }
        boolean context = text.startsWith("$$");
        String body = context ? text.substring(2) : text.substring(1);
        return new JsonPath(text, context, new Parser(text, body).segments());
    }

    static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public String text() {
        return text;
    }

    /** True for {@code $$.…} paths, which read the context object. */
    public boolean isContext() {
        return context;
    }

    /** A Reference Path: names exactly one node, so it can also be written to. */
    public boolean isDefinite() {
        return segments.stream().allMatch(s -> s instanceof Field || s instanceof Index);
    }

    /** The node at this path, {@link MissingNode} when a definite path matches nothing. */
    public JsonNode read(JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        collect(root, 0, out);
        if (isDefinite()) {
            return out.isEmpty() ? MissingNode.getInstance() : out.get(0);
        }
        ArrayNode matches = Json.NODES.arrayNode();
        matches.addAll(out);
        return matches;
    }

    /** A copy of {@code root} with {@code value} placed at this path, creating missing objects on the way. */
    JsonNode write(JsonNode root, JsonNode value) {
        if (segments.isEmpty()) {
            return value;
        }
        if (!isDefinite()) {
            throw new PathException("'" + text + "' is not a reference path");
        }
        JsonNode copy = root.deepCopy();
        JsonNode current = copy;
        for (int i = 0; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            Segment segment = segments.get(i);
            if (segment instanceof Field field) {
                if (!(current instanceof ObjectNode object)) {
                    throw new PathException("'" + text + "' needs an object at '" + field.name()
                            + "' but found " + Json.describe(current));
                }
                if (last) {
                    object.set(field.name(), value);
                } else {
                    JsonNode child = object.get(field.name());
                    if (child == null || child.isNull()) {
                        child = object.putObject(field.name());
                    }
                    current = child;
                }
            } else if (segment instanceof Index index) {
                if (!(current instanceof ArrayNode array) || index.resolve(array.size()) < 0) {
                    throw new PathException("'" + text + "' needs an array with index " + index.index()
                            + " but found " + Json.describe(current));
                }
                int position = index.resolve(array.size());
                if (last) {
                    array.set(position, value);
                } else {
                    current = array.get(position);
                }
            }
        }
        return copy;
    }

    private void collect(JsonNode node, int at, List<JsonNode> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (at == segments.size()) {
            out.add(node);
            return;
        }
        apply(segments.get(at), node, at, out);
    }

    private void apply(Segment segment, JsonNode node, int at, List<JsonNode> out) {
        switch (segment) {
            case Field field -> {
                if (node.isObject()) {
                    collect(node.get(field.name()), at + 1, out);
                }
            }
            case Index index -> {
                if (node.isArray() && index.resolve(node.size()) >= 0) {
                    collect(node.get(index.resolve(node.size())), at + 1, out);
                }
            }
            case Wildcard wildcard -> {
                if (node.isContainerNode()) {
                    for (JsonNode child : node) {
                        collect(child, at + 1, out);
                    }
                }
            }
            case Union union -> {
                for (Segment member : union.members()) {
                    apply(member, node, at, out);
                }
            }
            case Slice slice -> {
                if (node.isArray()) {
                    for (int i : slice.indices(node.size())) {
                        collect(node.get(i), at + 1, out);
                    }
                }
            }
            case Filter filter -> {
                if (node.isArray()) {
                    for (JsonNode element : node) {
                        if (filter.expression().test(element)) {
                            collect(element, at + 1, out);
                        }
                    }
                } else if (node.isObject() && filter.expression().test(node)) {
                    collect(node, at + 1, out);
                }
            }
            case DeepScan scan -> {
                apply(scan.target(), node, at, out);
                if (node.isContainerNode()) {
                    for (JsonNode child : node) {
                        apply(segment, child, at, out);
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** A path that cannot be applied to the data at hand. */
    static final class PathException extends RuntimeException {
        PathException(String message) {
            super(message);
        }
    }

    private sealed interface Segment permits Field, Index, Wildcard, Union, Slice, Filter, DeepScan {}

    private record Field(String name) implements Segment {}

    private record Index(int index) implements Segment {
        /** Negative indexes count from the end, as in Jayway; -1 when out of range. */
        int resolve(int size) {
            int position = index < 0 ? size + index : index;
            return position >= 0 && position < size ? position : -1;
        }
    }

    private record Wildcard() implements Segment {}

    private record Union(List<Segment> members) implements Segment {}

    private record Slice(Integer start, Integer end, Integer step) implements Segment {
        List<Integer> indices(int size) {
            int by = step == null ? 1 : step;
            List<Integer> result = new ArrayList<>();
            if (by <= 0) {
                return result;
            }
            int from = start == null ? 0 : (start < 0 ? Math.max(0, size + start) : Math.min(start, size));
            int to = end == null ? size : (end < 0 ? Math.max(0, size + end) : Math.min(end, size));
            for (int i = from; i < to; i += by) {
                result.add(i);
            }
            return result;
        }
    }

    private record Filter(Predicate expression) implements Segment {}

    private record DeepScan(Segment target) implements Segment {}

    private static final class Parser {
        private final String whole;
        private final String body;
        private int pos;

        Parser(String whole, String body) {
            this.whole = whole;
            this.body = body;
        }

        List<Segment> segments() {
            List<Segment> segments = new ArrayList<>();
            while (pos < body.length()) {
                char c = body.charAt(pos);
                if (c == '.') {
                    pos++;
                    if (peek('.')) {
                        pos++;
                        segments.add(new DeepScan(dotOrBracket()));
                    } else {
                        segments.add(dotOrBracket());
                    }
                } else if (c == '[') {
                    segments.add(bracket());
                } else {
                    throw error("unexpected '" + c + "' at offset " + (pos + whole.length() - body.length()));
                }
            }
            return List.copyOf(segments);
        }

        private Segment dotOrBracket() {
            if (peek('[')) {
                return bracket();
            }
            if (peek('*')) {
                pos++;
                return new Wildcard();
            }
            int start = pos;
            while (pos < body.length() && body.charAt(pos) != '.' && body.charAt(pos) != '[') {
                pos++;
            }
            String name = body.substring(start, pos);
            if (name.isBlank()) {
                throw error("empty field name");
            }
            return new Field(name);
        }

        private Segment bracket() {
            int start = ++pos;
            int depth = 0;
            char quote = 0;
            while (pos < body.length()) {
                char c = body.charAt(pos);
                if (quote != 0) {
                    if (c == '\\') {
                        pos++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ']' && depth == 0) {
                    break;
                }
                pos++;
            }
            if (pos >= body.length()) {
                throw error("unclosed '['");
            }
            String content = body.substring(start, pos).trim();
            pos++;
            return bracketContent(content);
        }

        private Segment bracketContent(String content) {
            if (content.equals("*")) {
                return new Wildcard();
            }
            if (content.startsWith("?(") && content.endsWith(")")) {
                return new Filter(new FilterParser(whole, content.substring(2, content.length() - 1)).parse());
            }
            List<String> parts = splitTopLevel(content);
            List<Segment> members = new ArrayList<>();
            for (String part : parts) {
                members.add(bracketMember(part.trim()));
            }
            if (members.isEmpty()) {
                throw error("empty '[]'");
            }
            return members.size() == 1 ? members.get(0) : new Union(List.copyOf(members));
        }

        private Segment bracketMember(String part) {
            if (part.length() >= 2 && (part.startsWith("'") && part.endsWith("'")
                    || part.startsWith("\"") && part.endsWith("\""))) {
                return new Field(unescape(part.substring(1, part.length() - 1)));
            }
            try {
                if (part.contains(":")) {
                    String[] bounds = part.split(":", -1);
                    if (bounds.length > 3) {
                        throw error("bad slice '" + part + "'");
                    }
                    return new Slice(optionalInt(bounds[0]), optionalInt(bounds[1]),
                            bounds.length == 3 ? optionalInt(bounds[2]) : null);
                }
                return new Index(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw error("'[" + part + "]' is neither an index nor a quoted name");
            }
        }

        private static Integer optionalInt(String text) {
            return text.isBlank() ? null : Integer.parseInt(text.trim());
        }

        private static List<String> splitTopLevel(String content) {
            List<String> parts = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            char quote = 0;
            for (int i = 0; i < content.length(); i++) {
                char c = content.charAt(i);
                if (quote != 0) {
                    if (c == '\\' && i + 1 < content.length()) {
                        current.append(c).append(content.charAt(++i));
                        continue;
                    }
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == ',') {
                    parts.add(current.toString());
                    current.setLength(0);
                    continue;
                }
                current.append(c);
            }
            parts.add(current.toString());
            return parts;
        }

        private boolean peek(char c) {
            return pos < body.length() && body.charAt(pos) == c;
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("invalid path '" + whole + "': " + problem);
        }
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A filter condition evaluated against one candidate node ({@code @}). */
    private interface Predicate {
        boolean test(JsonNode current);
    }

    /** {@code ?( … )}: comparisons, existence, {@code && || !} and parentheses. */
    private static final class FilterParser {
        private final String whole;
        private final String text;
        private int pos;

        FilterParser(String whole, String text) {
            this.whole = whole;
            this.text = text;
        }

        Predicate parse() {
            Predicate predicate = or();
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected '" + text.substring(pos) + "'");
            }
            return predicate;
        }

        private Predicate or() {
            Predicate left = and();
            while (consume("||")) {
                Predicate l = left;
                Predicate r = and();
                left = node -> l.test(node) || r.test(node);
            }
            return left;
        }

        private Predicate and() {
            Predicate left = unary();
            while (consume("&&")) {
                Predicate l = left;
                Predicate r = unary();
                left = node -> l.test(node) && r.test(node);
            }
            return left;
        }

        private Predicate unary() {
            skipSpace();
            if (consume("!")) {
                Predicate inner = unary();
                return node -> !inner.test(node);
            }
            if (consume("(")) {
                Predicate inner = or();
                if (!consume(")")) {
                    throw error("missing ')'");
                }
                return inner;
            }
            Operand left = operand();
            skipSpace();
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (consume(op)) {
                    Operand right = operand();
                    return node -> compare(op, left.value(node), right.value(node));
                }
            }
            return node -> {
                JsonNode value = left.value(node);
                return !value.isMissingNode() && !(left.literal() && value.isBoolean() && !value.asBoolean());
            };
        }

        private static boolean compare(String op, JsonNode a, JsonNode b) {
            if (a.isMissingNode() || b.isMissingNode()) {
                return op.equals("!=");
            }
            Integer order = null;
            if (a.isNumber() && b.isNumber()) {
                order = a.decimalValue().compareTo(b.decimalValue());
            } else if (a.isTextual() && b.isTextual()) {
                order = a.asText().compareTo(b.asText());
            }
            return switch (op) {
                case "==" -> order != null ? order == 0 : a.equals(b);
                case "!=" -> order != null ? order != 0 : !a.equals(b);
                case "<" -> order != null && order < 0;
                case "<=" -> order != null && order <= 0;
                case ">" -> order != null && order > 0;
                default -> order != null && order >= 0;
            };
        }

        private record Operand(java.util.function.Function<JsonNode, JsonNode> reader, boolean literal) {
            JsonNode value(JsonNode current) {
                return reader.apply(current);
            }
        }

        private Operand operand() {
            skipSpace();
            if (pos >= text.length()) {
                throw error("missing operand");
            }
            char c = text.charAt(pos);
            if (c == '@' || c == '$') {
                int start = pos++;
                pos = end(text, pos, d -> Character.isWhitespace(d) || "=!<>&|".indexOf(d) >= 0);
                String pathText = text.substring(start, pos);
                JsonPath path = JsonPath.parse("$" + pathText.substring(1));
                if (c == '$') {
                    throw error("absolute paths inside filters are not supported: " + pathText);
                }
                return new Operand(path::read, false);
            }
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, pos + 1);
                while (end > 0 && text.charAt(end - 1) == '\\') {
                    end = text.indexOf(c, end + 1);
                }
                if (end < 0) {
                    throw error("unclosed string");
                }
                JsonNode value = Json.NODES.textNode(unescape(text.substring(pos + 1, end)));
                pos = end + 1;
                return new Operand(node -> value, true);
            }
            int start = pos;
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))
                    && "=!<>)&|".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            String word = text.substring(start, pos);
            JsonNode value = switch (word) {
                case "true" -> Json.NODES.booleanNode(true);
                case "false" -> Json.NODES.booleanNode(false);
                case "null" -> Json.NODES.nullNode();
                default -> {
                    try {
                        yield Json.NODES.numberNode(new BigDecimal(word));
                    } catch (NumberFormatException e) {
                        throw error("bad operand '" + word + "'");
                    }
                }
            };
            return new Operand(node -> value, true);
        }

        private boolean consume(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("invalid filter in path '" + whole + "': " + problem);
        }
    }

    /**
     * Where a path embedded in a larger expression (a filter, an intrinsic's arguments) ends: at the first
     * terminator or unmatched closing bracket outside quotes and brackets.
     */
    static int end(String text, int from, java.util.function.IntPredicate terminator) {
        int pos = from;
        int depth = 0;
        char quote = 0;
        for (; pos < text.length(); pos++) {
            char d = text.charAt(pos);
            if (quote != 0) {
                if (d == quote) {
                    quote = 0;
                }
            } else if (d == '\'' || d == '"') {
                quote = d;
            } else if (d == '[' || d == '(') {
                depth++;
            } else if (d == ']' || d == ')') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && terminator.test(d)) {
                break;
            }
        }
        return pos;
    }
}
