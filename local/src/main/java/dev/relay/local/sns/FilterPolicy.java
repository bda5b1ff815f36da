package dev.relay.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An SNS subscription filter policy, parsed and validated once, then matched against each published message.
 * Keys are ANDed, the values listed for a key are ORed, {@code $or} ORs whole sub-policies.
 */
public final class FilterPolicy {

    /** What the policy is matched against: {@code FilterPolicyScope}. */
    public enum Scope {
        MESSAGE_ATTRIBUTES, MESSAGE_BODY;

        /** From the subscription attribute; absent means MessageAttributes. */
        public static Scope of(String filterPolicyScope) throws FilterPolicyException {
            if (filterPolicyScope == null || filterPolicyScope.equals("MessageAttributes")) {
                return MESSAGE_ATTRIBUTES;
            }
            if (filterPolicyScope.equals("MessageBody")) {
                return MESSAGE_BODY;
            }
            throw new FilterPolicyException("FilterPolicyScope \"" + filterPolicyScope
                    + "\" is not supported; use MessageAttributes or MessageBody");
        }
    }

    // Limits from "Filter policy constraints in Amazon SNS".
    static final int MAX_KEYS = 5;
    static final int MAX_COMBINATIONS = 150;
    static final int MAX_BYTES = 256 * 1024;
    static final BigDecimal NUMERIC_LIMIT = new BigDecimal("1000000000");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Scope scope;
    private final Node root;

    private FilterPolicy(Scope scope, Node root) {
        this.scope = scope;
        this.root = root;
    }

    /** A MessageAttributes-scoped policy. */
    public static FilterPolicy parse(String json) throws FilterPolicyException {
        return parse(json, Scope.MESSAGE_ATTRIBUTES);
    }

    public static FilterPolicy parse(String json, Scope scope) throws FilterPolicyException {
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new FilterPolicyException("the policy is larger than 256 KB");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new FilterPolicyException("not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new FilterPolicyException("the policy must be a JSON object");
        }
        Node root = node(tree, "", scope);
        checkLimits(root);
        return new FilterPolicy(scope, root);
    }

    public Scope scope() {
        return scope;
    }

    /** Whether SNS would deliver this message to the subscription. */
    public boolean matches(String body, Map<String, MessageAttribute> attributes) {
        return scope == Scope.MESSAGE_BODY ? matchesBody(body) : matchesAttributes(attributes);
    }

    public boolean matchesAttributes(Map<String, MessageAttribute> attributes) {
        return root.matches(new AttributeTarget(attributes));
    }

    /** A body that is not a JSON object matches only the empty policy. */
    public boolean matchesBody(String body) {
        if (root.isEmpty()) {
            return true;
        }
        try {
            JsonNode tree = JSON.readTree(body);
            return tree != null && tree.isObject() && root.matches(new BodyTarget(tree));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    // ---- the parsed policy ----

    /** One policy object: every key must match, and every {@code $or} must have a matching branch. */
    private record Node(Map<String, KeyRule> keys, List<List<Node>> ors) {
        boolean isEmpty() {
            return keys.isEmpty() && ors.isEmpty();
        }

        boolean matches(Target target) {
            for (Map.Entry<String, KeyRule> key : keys.entrySet()) {
                if (!key.getValue().matches(key.getKey(), target)) {
                    return false;
                }
            }
            for (List<Node> branches : ors) {
                if (branches.stream().noneMatch(branch -> branch.matches(target))) {
                    return false;
                }
            }
            return true;
        }
    }

    private sealed interface KeyRule {
        boolean matches(String key, Target target);
    }

    /** A key whose policy is an object: it applies to the body object under that key. */
    private record Nested(Node node) implements KeyRule {
        @Override
        public boolean matches(String key, Target target) {
            return target.children(key).stream().anyMatch(node::matches);
        }
    }

    /** A key whose policy is a list of values and operators; any one matching is enough. */
    private record AnyOf(List<Matcher> matchers) implements KeyRule {
        @Override
        public boolean matches(String key, Target target) {
            List<Value> values = target.values(key);
            // "exists": true needs a non-null, non-empty value; "exists": false never matches an empty message.
            boolean present = values != null && values.stream()
                    .anyMatch(v -> !(v instanceof Null) && !(v instanceof Text t && t.text().isEmpty()));
            for (Matcher matcher : matchers) {
                boolean hit = switch (matcher) {
                    case Exists exists -> exists.present() ? present : !present && !target.isEmpty();
                    // Documented for String.Array: anything-but matches only if no element is excluded.
                    case AnythingBut anythingBut -> values != null && !values.isEmpty()
                            && values.stream().allMatch(anythingBut::matches);
                    default -> values != null && values.stream().anyMatch(matcher::matches);
                };
                if (hit) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A single value from the message: attribute values and body leaves reduce to these. */
    private sealed interface Value {
    }

    private record Text(String text) implements Value {
    }

    private record Numeric(BigDecimal number) implements Value {
    }

    private record Bool(boolean value) implements Value {
    }

    private record Null() implements Value {
    }

    private sealed interface Matcher {
        boolean matches(Value value);
    }

    private record Equals(Value expected) implements Matcher {
        @Override
        public boolean matches(Value value) {
            if (expected instanceof Numeric n && value instanceof Numeric v) {
                return n.number().compareTo(v.number()) == 0;
            }
            return expected.equals(value);
        }
    }

    private record Prefix(String prefix) implements Matcher {
        @Override
        public boolean matches(Value value) {
            return value instanceof Text t && t.text().startsWith(prefix);
        }
    }

    private record Suffix(String suffix) implements Matcher {
        @Override
        public boolean matches(Value value) {
            return value instanceof Text t && t.text().endsWith(suffix);
        }
    }

    private record EqualsIgnoreCase(String expected) implements Matcher {
        @Override
        public boolean matches(Value value) {
            return value instanceof Text t && t.text().equalsIgnoreCase(expected);
        }
    }

    /** {@code anything-but}: the value is present and none of the excluded ones. */
    private record AnythingBut(List<Matcher> excluded) implements Matcher {
        @Override
        public boolean matches(Value value) {
            return excluded.stream().noneMatch(m -> m.matches(value));
        }
    }

    private record NumericRange(List<String> operators, List<BigDecimal> bounds) implements Matcher {
        @Override
        public boolean matches(Value value) {
            if (!(value instanceof Numeric n)) {
                return false;
            }
            for (int i = 0; i < operators.size(); i++) {
                int c = n.number().compareTo(bounds.get(i));
                boolean ok = switch (operators.get(i)) {
                    case "=" -> c == 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Exists(boolean present) implements Matcher {
        @Override
        public boolean matches(Value value) {
            return present;
        }
    }

    private record Cidr(byte[] network, int prefixLength) implements Matcher {
        @Override
        public boolean matches(Value value) {
            if (!(value instanceof Text t)) {
                return false;
            }
            byte[] address = ipAddress(t.text());
            if (address == null || address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cidr c && java.util.Arrays.equals(network, c.network) && prefixLength == c.prefixLength;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(network) * 31 + prefixLength;
        }

        @Override
        public String toString() {
            return "Cidr[/" + prefixLength + "]";
        }
    }

    // ---- what a policy is matched against ----

    private interface Target {
        /** The values under a key, or null when the key is absent (or not a leaf). */
        List<Value> values(String key);

        /** The objects under a key, for nested policies. */
        List<Target> children(String key);

        /** No attributes at all, or an empty body object. */
        boolean isEmpty();
    }

    private record AttributeTarget(Map<String, MessageAttribute> attributes) implements Target {
        @Override
        public List<Value> values(String key) {
            MessageAttribute attribute = attributes == null ? null : attributes.get(key);
            if (attribute == null) {
                return null;
            }
            return switch (attribute.baseType()) {
                case "String" -> List.of(new Text(attribute.stringValue()));
                case "Number" -> {
                    BigDecimal number = number(attribute.stringValue());
                    yield number == null ? List.of(new Text(attribute.stringValue())) : List.of(new Numeric(number));
                }
                case "String.Array" -> {
                    try {
                        JsonNode array = JSON.readTree(attribute.stringValue());
                        yield array != null && array.isArray() ? leaves(array) : List.of();
                    } catch (JsonProcessingException e) {
                        yield List.of();
                    }
                }
                // SNS does not compare Binary attributes: for the policy they are not there.
                default -> null;
            };
        }

        @Override
        public List<Target> children(String key) {
            return List.of();
        }

        @Override
        public boolean isEmpty() {
            return attributes == null || attributes.isEmpty();
        }
    }

    private record BodyTarget(JsonNode object) implements Target {
        @Override
        public List<Value> values(String key) {
            JsonNode child = object.get(key);
            if (child == null || child.isObject()) {
                return null;
            }
            return child.isArray() ? leaves(child) : List.of(value(child));
        }

        @Override
        public List<Target> children(String key) {
            JsonNode child = object.get(key);
            List<Target> children = new ArrayList<>();
            if (child != null && child.isObject()) {
                children.add(new BodyTarget(child));
            } else if (child != null && child.isArray()) {
                child.forEach(item -> {
                    if (item.isObject()) {
                        children.add(new BodyTarget(item));
                    }
                });
            }
            return children;
        }

        @Override
        public boolean isEmpty() {
            return object.isEmpty();
        }
    }

    private static List<Value> leaves(JsonNode array) {
        List<Value> values = new ArrayList<>();
        array.forEach(item -> {
            if (!item.isContainerNode()) {
                values.add(value(item));
            }
        });
        return values;
    }

    private static Value value(JsonNode leaf) {
        if (leaf.isNumber()) {
            return new Numeric(leaf.decimalValue());
        }
        if (leaf.isBoolean()) {
            return new Bool(leaf.booleanValue());
        }
        if (leaf.isNull()) {
            return new Null();
        }
        return new Text(leaf.asText());
    }

    // ---- parsing and validation ----

    private static Node node(JsonNode object, String path, Scope scope) throws FilterPolicyException {
        Map<String, KeyRule> keys = new LinkedHashMap<>();
        List<List<Node>> ors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().equals("$or") && isOr(value)) {
                List<Node> branches = new ArrayList<>();
                for (JsonNode branch : value) {
                    branches.add(node(branch, path, scope));
                }
                ors.add(branches);
            } else if (value.isArray()) {
                keys.put(field.getKey(), anyOf(value, key));
            } else if (value.isObject()) {
                if (scope == Scope.MESSAGE_ATTRIBUTES) {
                    throw new FilterPolicyException(key, "a nested policy needs FilterPolicyScope MessageBody; "
                            + "MessageAttributes policies are flat");
                }
                keys.put(field.getKey(), new Nested(node(value, key, scope)));
            } else {
                throw new FilterPolicyException(key, "must be an object or an array");
            }
        }
        return new Node(keys, ors);
    }

    /** SNS treats {@code $or} as an operator only for an array of at least two objects. */
    private static boolean isOr(JsonNode value) {
        if (!value.isArray() || value.size() < 2) {
            return false;
        }
        for (JsonNode branch : value) {
            if (!branch.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static AnyOf anyOf(JsonNode values, String key) throws FilterPolicyException {
        if (values.isEmpty()) {
            throw new FilterPolicyException(key, "the list of values is empty");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (JsonNode value : values) {
            matchers.add(value.isObject() ? operator(value, key) : literal(value, key));
        }
        return new AnyOf(matchers);
    }

    private static Matcher literal(JsonNode value, String key) throws FilterPolicyException {
        if (value.isArray()) {
            throw new FilterPolicyException(key, "a value cannot be an array inside the list of values");
        }
        if (value.isNumber()) {
            checkRange(value.decimalValue(), key);
        }
        return new Equals(value(value));
    }

    private static Matcher operator(JsonNode object, String key) throws FilterPolicyException {
        if (object.size() != 1) {
            throw new FilterPolicyException(key, "an operator object must have exactly one operator, found "
                    + object.size());
        }
        Map.Entry<String, JsonNode> only = object.properties().iterator().next();
        String operator = only.getKey();
        JsonNode argument = only.getValue();
        return switch (operator) {
            case "prefix" -> new Prefix(text(argument, key, operator));
            case "suffix" -> new Suffix(text(argument, key, operator));
            case "equals-ignore-case" -> new EqualsIgnoreCase(text(argument, key, operator));
            case "anything-but" -> anythingBut(argument, key);
            case "numeric" -> numeric(argument, key);
            case "exists" -> {
                if (!argument.isBoolean()) {
                    throw new FilterPolicyException(key, "operator \"exists\" takes true or false");
                }
                yield new Exists(argument.booleanValue());
            }
            case "cidr" -> cidr(text(argument, key, operator), key);
            default -> throw new FilterPolicyException(key, "operator \"" + operator + "\" is not supported");
        };
    }

    private static String text(JsonNode argument, String key, String operator) throws FilterPolicyException {
        if (!argument.isTextual() || argument.asText().isEmpty()) {
            throw new FilterPolicyException(key, "operator \"" + operator + "\" takes a non-empty string");
        }
        return argument.asText();
    }

    private static Matcher anythingBut(JsonNode argument, String key) throws FilterPolicyException {
        if (argument.isObject()) {
            if (argument.size() == 1 && argument.has("prefix")) {
                return new AnythingBut(List.of(new Prefix(text(argument.get("prefix"), key, "anything-but prefix"))));
            }
            if (argument.size() == 1 && argument.has("suffix")) {
                return new AnythingBut(List.of(new Suffix(text(argument.get("suffix"), key, "anything-but suffix"))));
            }
            throw new FilterPolicyException(key, "operator \"anything-but\" takes a value, a list of values, "
                    + "{\"prefix\": ...} or {\"suffix\": ...}");
        }
        List<Matcher> excluded = new ArrayList<>();
        if (argument.isArray()) {
            if (argument.isEmpty()) {
                throw new FilterPolicyException(key, "operator \"anything-but\" needs at least one value");
            }
            for (JsonNode value : argument) {
                if (!value.isTextual() && !value.isNumber()) {
                    throw new FilterPolicyException(key, "operator \"anything-but\" takes strings and numbers only");
                }
                excluded.add(literal(value, key));
            }
        } else if (argument.isTextual() || argument.isNumber()) {
            excluded.add(literal(argument, key));
        } else {
            throw new FilterPolicyException(key, "operator \"anything-but\" takes strings and numbers only");
        }
        return new AnythingBut(excluded);
    }

    private static Matcher numeric(JsonNode argument, String key) throws FilterPolicyException {
        if (!argument.isArray() || (argument.size() != 2 && argument.size() != 4)) {
            throw new FilterPolicyException(key, "operator \"numeric\" takes [operator, number] or "
                    + "[lower operator, number, upper operator, number]");
        }
        Set<String> known = Set.of("=", "<", "<=", ">", ">=");
        List<String> operators = new ArrayList<>();
        List<BigDecimal> bounds = new ArrayList<>();
        for (int i = 0; i < argument.size(); i += 2) {
            String operator = argument.get(i).asText();
            JsonNode bound = argument.get(i + 1);
            if (!argument.get(i).isTextual() || !known.contains(operator)) {
                throw new FilterPolicyException(key, "numeric operator \"" + argument.get(i).asText()
                        + "\" is not one of =, <, <=, >, >=");
            }
            if (!bound.isNumber()) {
                throw new FilterPolicyException(key, "numeric operator \"" + operator + "\" needs a number, got "
                        + bound);
            }
            checkRange(bound.decimalValue(), key);
            operators.add(operator);
            bounds.add(bound.decimalValue());
        }
        if (operators.size() == 2) {
            boolean lowerThenUpper = operators.get(0).startsWith(">") && operators.get(1).startsWith("<");
            if (!lowerThenUpper) {
                throw new FilterPolicyException(key, "a numeric range is [\">\" or \">=\", lower, \"<\" or \"<=\", upper]");
            }
            if (bounds.get(0).compareTo(bounds.get(1)) >= 0) {
                throw new FilterPolicyException(key, "numeric range lower bound " + bounds.get(0).toPlainString()
                        + " is not below upper bound " + bounds.get(1).toPlainString());
            }
        }
        return new NumericRange(operators, bounds);
    }

    private static void checkRange(BigDecimal number, String key) throws FilterPolicyException {
        if (number.abs().compareTo(NUMERIC_LIMIT) > 0) {
            throw new FilterPolicyException(key, "number " + number.toPlainString()
                    + " is outside the range SNS matches, -1000000000 to 1000000000");
        }
    }

    private static Matcher cidr(String notation, String key) throws FilterPolicyException {
        int slash = notation.indexOf('/');
        byte[] network = slash < 0 ? null : ipAddress(notation.substring(0, slash));
        int prefixLength = -1;
        if (network != null) {
            try {
                prefixLength = Integer.parseInt(notation.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefixLength = -1;
            }
        }
        if (network == null || prefixLength < 0 || prefixLength > network.length * 8) {
            throw new FilterPolicyException(key, "\"" + notation + "\" is not a CIDR block such as 10.0.0.0/24");
        }
        return new Cidr(network, prefixLength);
    }

    /** Parses a literal IPv4 or IPv6 address, never a host name (no DNS lookups). */
    static byte[] ipAddress(String text) {
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] bytes = new byte[4];
            String[] parts = text.split("\\.");
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    return null;
                }
                bytes[i] = (byte) part;
            }
            return bytes;
        }
        if (text.contains(":") && text.matches("[0-9A-Fa-f:.]+")) {
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The documented limits: at most five keys and at most 150 combinations of values, where the combinations are
     * the product of each key's number of values, summed over the alternatives that {@code $or} creates.
     */
    private static void checkLimits(Node root) throws FilterPolicyException {
        List<Map<String, Integer>> alternatives = alternatives(root, "");
        long combinations = 0;
        for (Map<String, Integer> alternative : alternatives) {
            if (alternative.size() > MAX_KEYS) {
                throw new FilterPolicyException("the policy has " + alternative.size() + " keys " + alternative.keySet()
                        + "; SNS allows at most " + MAX_KEYS);
            }
            long product = 1;
            for (int count : alternative.values()) {
                product *= count;
            }
            combinations += product;
        }
        if (combinations > MAX_COMBINATIONS) {
            throw new FilterPolicyException("the policy has " + combinations
                    + " combinations of values; SNS allows at most " + MAX_COMBINATIONS);
        }
    }

    private static List<Map<String, Integer>> alternatives(Node node, String path) throws FilterPolicyException {
        List<Map<String, Integer>> result = new ArrayList<>();
        result.add(new LinkedHashMap<>());
        for (Map.Entry<String, KeyRule> key : node.keys().entrySet()) {
            String keyPath = path.isEmpty() ? key.getKey() : path + "." + key.getKey();
            List<Map<String, Integer>> options = key.getValue() instanceof Nested nested
                    ? alternatives(nested.node(), keyPath)
                    : List.of(Map.of(keyPath, ((AnyOf) key.getValue()).matchers().size()));
            result = cross(result, options);
        }
        for (List<Node> branches : node.ors()) {
            List<Map<String, Integer>> options = new ArrayList<>();
            for (Node branch : branches) {
                options.addAll(alternatives(branch, path));
            }
            result = cross(result, options);
        }
        return result;
    }

    private static List<Map<String, Integer>> cross(List<Map<String, Integer>> left, List<Map<String, Integer>> right)
            throws FilterPolicyException {
        if ((long) left.size() * right.size() > MAX_COMBINATIONS) {
            throw new FilterPolicyException("the policy has more than " + MAX_COMBINATIONS
                    + " combinations of values; SNS allows at most " + MAX_COMBINATIONS);
        }
        List<Map<String, Integer>> crossed = new ArrayList<>();
        for (Map<String, Integer> l : left) {
            for (Map<String, Integer> r : right) {
                Map<String, Integer> both = new LinkedHashMap<>(l);
                both.putAll(r);
                crossed.add(both);
            }
        }
        return crossed;
    }

    @Override
    public String toString() {
        return "FilterPolicy[" + scope + ", " + root + "]";
    }
}
