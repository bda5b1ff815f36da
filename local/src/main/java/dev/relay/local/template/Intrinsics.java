package dev.relay.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.regex.Pattern;

/**
 * Evaluates CloudFormation intrinsic functions and conditions against one stack: its parameters, mappings,
 * conditions and the resources resolved so far. Resources must be added in dependency order.
 */
final class Intrinsics {

    /** {@code AWS::NoValue}: the enclosing key or list item disappears. */
    enum NoValue { INSTANCE }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackContext stack;
    private final Map<String, Object> parameters;
    private final Map<String, Object> mappings;
    private final Map<String, Object> conditionDefinitions;
    private final Map<String, String> declaredTypes;
    private final Map<String, Boolean> conditionValues = new HashMap<>();
    private final SequencedSet<String> conditionsInProgress = new LinkedHashSet<>();
    private final Map<String, String> omitted = new HashMap<>();
    private final Map<String, Addressed> addressed = new HashMap<>();
    private int conditionDepth;

    /** How a resolved resource is referred to: its {@code Ref} value and {@code Fn::GetAtt} attributes. */
    record Addressed(String type, String ref, Map<String, String> attributes) {
    }

    /** {@code Ref: Function.Alias} names the alias SAM publishes for a function's {@code AutoPublishAlias}. */
    static final String ALIAS_SUFFIX = ".Alias";

    Intrinsics(StackContext stack, Map<String, Object> parameters, Map<String, Object> mappings,
            Map<String, Object> conditionDefinitions, Map<String, String> declaredTypes) {
        this.stack = stack;
        this.parameters = parameters;
        this.mappings = mappings;
        this.conditionDefinitions = conditionDefinitions;
        this.declaredTypes = declaredTypes;
    }

    void omit(String logicalId, String condition) {
        omitted.put(logicalId, condition);
    }

    void address(String logicalId, Addressed ids) {
        addressed.put(logicalId, ids);
    }

    /** Resolves every intrinsic function in a tree; may return {@link NoValue#INSTANCE}. */
    Object resolve(Object node, String path) throws TemplateException {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return function(key, map.values().iterator().next(), path);
                }
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                Object value = resolve(entry.getValue(), path + "." + key);
                if (value != NoValue.INSTANCE) {
                    resolved.put(key, value);
                }
            }
            return resolved;
        }
        if (node instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object value = resolve(list.get(i), path + "[" + i + "]");
                if (value != NoValue.INSTANCE) {
                    resolved.add(value);
                }
            }
            return resolved;
        }
        return node;
    }

    /** Resolves a tree whose result must not be {@code AWS::NoValue} (a property root, an output value). */
    Object resolveValue(Object node, String path) throws TemplateException {
        Object value = resolve(node, path);
        return value == NoValue.INSTANCE ? null : value;
    }

    /** Evaluates a named condition from the {@code Conditions} section, once. */
    boolean condition(String name, String path) throws TemplateException {
        Boolean known = conditionValues.get(name);
        if (known != null) {
            return known;
        }
        if (!conditionDefinitions.containsKey(name)) {
            throw new TemplateException(path, "unknown condition '" + name + "'; Conditions declares "
                    + conditionDefinitions.keySet());
        }
        if (conditionsInProgress.contains(name)) {
            List<String> cycle = new ArrayList<>(conditionsInProgress.reversed().stream()
                    .takeWhile(c -> !c.equals(name)).toList().reversed());
            cycle.addFirst(name);
            cycle.add(name);
            throw new TemplateException("Conditions", "circular condition reference: " + String.join(" -> ", cycle));
        }
        conditionsInProgress.add(name);
        conditionDepth++;
        try {
            boolean value = evaluateCondition(conditionDefinitions.get(name), "Conditions." + name);
            conditionValues.put(name, value);
            return value;
        } finally {
            conditionDepth--;
            conditionsInProgress.remove(name);
        }
    }

    private boolean evaluateCondition(Object node, String path) throws TemplateException {
        if (node instanceof Map<?, ?> map && map.size() == 1) {
            String function = String.valueOf(map.keySet().iterator().next());
            Object argument = map.values().iterator().next();
            switch (function) {
                case "Fn::Equals" -> {
                    List<?> operands = arguments(function, argument, 2, 2, path);
                    return Objects.equals(comparable(resolve(operands.get(0), path)),
                            comparable(resolve(operands.get(1), path)));
                }
                case "Fn::Not" -> {
                    return !evaluateCondition(arguments(function, argument, 1, 1, path).getFirst(), path);
                }
                case "Fn::And", "Fn::Or" -> {
                    boolean and = function.equals("Fn::And");
                    for (Object operand : arguments(function, argument, 2, 10, path)) {
                        if (evaluateCondition(operand, path) != and) {
                            return !and;
                        }
                    }
                    return and;
                }
                case "Condition" -> {
                    return condition(text(argument, path, "Condition"), path);
                }
                default -> {
                }
            }
        }
        throw new TemplateException(path,
                "expected a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition)");
    }

    private Object function(String name, Object argument, String path) throws TemplateException {
        return switch (name) {
            case "Ref" -> ref(text(argument, path, "Ref"), path, "Ref");
            case "Fn::GetAtt" -> getAtt(argument, path);
            case "Fn::Sub" -> sub(argument, path);
            case "Fn::Join" -> join(argument, path);
            case "Fn::Select" -> select(argument, path);
            case "Fn::Split" -> split(argument, path);
            case "Fn::If" -> {
                List<?> operands = arguments(name, argument, 3, 3, path);
                yield condition(text(operands.get(0), path, name), path)
                        ? resolve(operands.get(1), path) : resolve(operands.get(2), path);
            }
            case "Fn::FindInMap" -> findInMap(argument, path);
            case "Fn::Base64" -> Base64.getEncoder().encodeToString(
                    text(resolve(argument, path), path, name).getBytes(StandardCharsets.UTF_8));
            case "Fn::GetAZs" -> {
                String region = text(resolve(argument, path), path, name);
                String r = region.isEmpty() ? stack.region() : region;
                yield new ArrayList<>(List.of(r + "a", r + "b", r + "c"));
            }
            case "Fn::ImportValue" -> throw new TemplateException(path, "Fn::ImportValue '"
                    + text(resolve(argument, path), path, name)
                    + "' cannot be resolved: the local cloud runs one stack and has no exports to import");
            case "Fn::ToJsonString" -> {
                try {
                    yield JSON.writeValueAsString(resolve(argument, path));
                } catch (JsonProcessingException e) {
                    throw new TemplateException(path, "Fn::ToJsonString: " + e.getOriginalMessage(), e);
                }
            }
            case "Fn::Length" -> list(resolve(argument, path), path, name).size();
            case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> throw new TemplateException(path,
                    name + " can only be used in Conditions or as the condition of Fn::If (by name)");
            default -> throw new TemplateException(path, "intrinsic function '" + name + "' is not supported");
        };
    }

    private Object ref(String name, String path, String function) throws TemplateException {
        if (name.startsWith("AWS::")) {
            return switch (name) {
                case "AWS::Region" -> stack.region();
                case "AWS::AccountId" -> stack.accountId();
                case "AWS::StackName" -> stack.stackName();
                case "AWS::StackId" -> "arn:aws:cloudformation:" + stack.region() + ":" + stack.accountId() + ":stack/"
                        + stack.stackName() + "/" + java.util.UUID.nameUUIDFromBytes(
                                stack.stackName().getBytes(StandardCharsets.UTF_8));
                case "AWS::Partition" -> "aws";
                case "AWS::URLSuffix" -> "amazonaws.com";
                case "AWS::NotificationARNs" -> new ArrayList<>();
                case "AWS::NoValue" -> NoValue.INSTANCE;
                default -> throw new TemplateException(path, function + " refers to unknown pseudo parameter '" + name + "'");
            };
        }
        if (parameters.containsKey(name)) {
            Object value = parameters.get(name);
            return value instanceof List<?> list ? new ArrayList<>(list) : value;
        }
        if (conditionDepth > 0 && declaredTypes.containsKey(name)) {
            throw new TemplateException(path, "Conditions can refer only to parameters, not to resource '" + name + "'");
        }
        if (name.endsWith(ALIAS_SUFFIX)) {
            return alias(name.substring(0, name.length() - ALIAS_SUFFIX.length()), path, function);
        }
        return addressed(name, path, function).ref();
    }

    /**
     * {@code Ref: Function.Alias}: SAM's alias of a function with {@code AutoPublishAlias}. The local cloud runs one
     * version of each function, so the alias is the function itself: its ARN.
     */
    private String alias(String logicalId, String path, String function) throws TemplateException {
        Addressed ids = addressed(logicalId, path, function);
        if (!ids.type().equals(ResourceTypes.SERVERLESS_FUNCTION)) {
            throw new TemplateException(path, function + " " + logicalId + ALIAS_SUFFIX + ": only an "
                    + ResourceTypes.SERVERLESS_FUNCTION + " (with AutoPublishAlias) has an alias, not " + ids.type());
        }
        return ids.attributes().get("Arn");
    }

    private Addressed addressed(String logicalId, String path, String function) throws TemplateException {
        Addressed ids = addressed.get(logicalId);
        if (ids != null) {
            return ids;
        }
        if (omitted.containsKey(logicalId)) {
            throw new TemplateException(path, function + " refers to resource '" + logicalId
                    + "', which is omitted because its Condition '" + omitted.get(logicalId) + "' is false");
        }
        if (declaredTypes.containsKey(logicalId)) {
            throw new TemplateException(path, function + " refers to resource '" + logicalId
                    + "' before it is resolved");
        }
        throw new TemplateException(path, function + " refers to unknown "
                + (function.equals("Fn::GetAtt") ? "resource '" : "resource or parameter '") + logicalId + "'");
    }

    private String getAtt(Object argument, String path) throws TemplateException {
        String logicalId;
        String attribute;
        if (argument instanceof String dotted && dotted.contains(".")) {
            logicalId = dotted.substring(0, dotted.indexOf('.'));
            attribute = dotted.substring(dotted.indexOf('.') + 1);
        } else {
            List<?> operands = arguments("Fn::GetAtt", argument, 2, 2, path);
            logicalId = text(operands.get(0), path, "Fn::GetAtt");
            attribute = text(resolve(operands.get(1), path), path, "Fn::GetAtt");
        }
        return attribute(logicalId, attribute, path);
    }

    private String attribute(String logicalId, String attribute, String path) throws TemplateException {
        Addressed ids = addressed(logicalId, path, "Fn::GetAtt");
        String value = ids.attributes().get(attribute);
        if (value == null) {
            String why = attribute.equals("StreamArn") && ResourceTypes.TABLES.contains(ids.type())
                    ? "; the table has no StreamSpecification, so it has no stream"
                    : "; it offers " + ids.attributes().keySet();
            throw new TemplateException(path, "Fn::GetAtt: resource '" + logicalId + "' (" + ids.type()
                    + ") has no attribute '" + attribute + "' in the local cloud" + why);
        }
        return value;
    }

    private String sub(Object argument, String path) throws TemplateException {
        String template;
        Map<String, String> variables = new HashMap<>();
        if (argument instanceof String s) {
            template = s;
        } else {
            List<?> operands = arguments("Fn::Sub", argument, 2, 2, path);
            template = text(operands.get(0), path, "Fn::Sub");
            if (!(operands.get(1) instanceof Map<?, ?> map)) {
                throw new TemplateException(path, "Fn::Sub: the second argument must be a map of variables");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                variables.put(String.valueOf(entry.getKey()), text(resolve(entry.getValue(), path), path,
                        "Fn::Sub variable '" + entry.getKey() + "'"));
            }
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = template.indexOf("${", at);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                out.append(template, at, template.length());
                return out.toString();
            }
            out.append(template, at, open);
            String name = template.substring(open + 2, close).strip();
            if (name.startsWith("!")) {
                out.append("${").append(name.substring(1)).append('}');
            } else if (variables.containsKey(name)) {
                out.append(variables.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                out.append(attribute(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1), path));
            } else {
                out.append(text(ref(name, path, "Fn::Sub ${" + name + "}"), path, "Fn::Sub ${" + name + "}"));
            }
            at = close + 1;
        }
    }

    private String join(Object argument, String path) throws TemplateException {
        List<?> operands = arguments("Fn::Join", argument, 2, 2, path);
        String delimiter = text(operands.get(0), path, "Fn::Join delimiter");
        List<String> parts = new ArrayList<>();
        for (Object item : list(resolve(operands.get(1), path), path, "Fn::Join")) {
            parts.add(text(item, path, "Fn::Join item"));
        }
        return String.join(delimiter, parts);
    }

    private Object select(Object argument, String path) throws TemplateException {
        List<?> operands = arguments("Fn::Select", argument, 2, 2, path);
        String indexText = text(resolve(operands.get(0), path), path, "Fn::Select index");
        int index;
        try {
            index = Integer.parseInt(indexText);
        } catch (NumberFormatException e) {
            throw new TemplateException(path, "Fn::Select: index '" + indexText + "' is not an integer");
        }
        List<?> items = list(resolve(operands.get(1), path), path, "Fn::Select");
        if (index < 0 || index >= items.size()) {
            throw new TemplateException(path, "Fn::Select: index " + index + " is out of bounds for a list of "
                    + items.size() + " items");
        }
        return items.get(index);
    }

    private List<Object> split(Object argument, String path) throws TemplateException {
        List<?> operands = arguments("Fn::Split", argument, 2, 2, path);
        String delimiter = text(operands.get(0), path, "Fn::Split delimiter");
        String source = text(resolve(operands.get(1), path), path, "Fn::Split");
        return new ArrayList<>(List.of(source.split(Pattern.quote(delimiter), -1)));
    }

    private Object findInMap(Object argument, String path) throws TemplateException {
        List<?> operands = arguments("Fn::FindInMap", argument, 3, 4, path);
        String mapName = text(resolve(operands.get(0), path), path, "Fn::FindInMap");
        String topKey = text(resolve(operands.get(1), path), path, "Fn::FindInMap");
        String secondKey = text(resolve(operands.get(2), path), path, "Fn::FindInMap");
        if (!(mappings.get(mapName) instanceof Map<?, ?> mapping)) {
            throw new TemplateException(path, "Fn::FindInMap: mapping '" + mapName + "' is not in Mappings");
        }
        if (!(mapping.get(topKey) instanceof Map<?, ?> top)) {
            throw new TemplateException(path, "Fn::FindInMap: key '" + topKey + "' is not in Mappings." + mapName);
        }
        if (!top.containsKey(secondKey)) {
            throw new TemplateException(path, "Fn::FindInMap: key '" + secondKey + "' is not in Mappings." + mapName
                    + "." + topKey);
        }
        return resolve(top.get(secondKey), path);
    }

    private static List<?> arguments(String function, Object argument, int min, int max, String path)
            throws TemplateException {
        if (!(argument instanceof List<?> list) || list.size() < min || list.size() > max) {
            String count = min == max ? String.valueOf(min) : min + " to " + max;
            throw new TemplateException(path, function + " expects a list of " + count + " arguments");
        }
        return list;
    }

    private static List<?> list(Object value, String path, String function) throws TemplateException {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new TemplateException(path, function + " needs a list, got " + describe(value));
    }

    /** A scalar as CloudFormation would write it into a string. */
    static String text(Object value, String path, String what) throws TemplateException {
        return switch (value) {
            case String s -> s;
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case BigInteger b -> b.toString();
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case null, default -> throw new TemplateException(path, what + " needs a string, got " + describe(value));
        };
    }

    private static Object comparable(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(Intrinsics::comparable).toList();
        }
        return value instanceof Number || value instanceof Boolean ? value.toString() : value;
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case NoValue n -> "AWS::NoValue";
            case Map<?, ?> m -> "a map " + m.keySet();
            case List<?> l -> "a list of " + l.size() + " items";
            default -> "'" + value + "'";
        };
    }
}
