package dev.relay.local.template;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The effective parameter values: overrides, else {@code Default}, checked against the declared constraints. */
final class StackParameters {

    private StackParameters() {
    }

    /** Name to value: a String, or a List of Strings for list types, as {@code Ref} returns them. */
    static Map<String, Object> effective(Object declared, Map<String, String> overrides) throws TemplateException {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<?, ?> parameters = declared == null ? Map.of() : map(declared, "Parameters");
        for (String name : overrides.keySet()) {
            if (!parameters.containsKey(name)) {
                throw new TemplateException("parameterOverrides." + name, "the template declares no parameter '" + name
                        + "'; it declares " + parameters.keySet());
            }
        }
        for (Map.Entry<?, ?> entry : parameters.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String path = "Parameters." + name;
            Map<?, ?> definition = map(entry.getValue(), path);
            if (!(definition.get("Type") instanceof String type)) {
                throw new TemplateException(path, "missing Type");
            }
            String raw = overrides.containsKey(name) ? overrides.get(name) : defaultValue(definition.get("Default"), path);
            if (raw == null) {
                throw new TemplateException(path, "no value: the parameter has no Default and no override was given");
            }
            values.put(name, check(type, raw, definition, path));
        }
        return values;
    }

    private static String defaultValue(Object value, String path) throws TemplateException {
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(Intrinsics.text(item, path + ".Default", "a list parameter item"));
            }
            return String.join(",", items);
        }
        return value == null ? null : Intrinsics.text(value, path + ".Default", "Default");
    }

    private static Object check(String type, String raw, Map<?, ?> definition, String path) throws TemplateException {
        boolean isList = type.equals("CommaDelimitedList") || type.startsWith("List<");
        List<String> items = isList ? Arrays.stream(raw.split(",", -1)).map(String::strip).toList() : List.of(raw);
        boolean numeric = type.equals("Number") || type.equals("List<Number>");
        for (String item : items) {
            if (numeric) {
                BigDecimal number = number(item, path);
                bound(definition.get("MinValue"), path, "MinValue", number, -1);
                bound(definition.get("MaxValue"), path, "MaxValue", number, 1);
            }
            if (definition.get("AllowedValues") instanceof List<?> allowed) {
                List<String> allowedText = new ArrayList<>();
                for (Object value : allowed) {
                    allowedText.add(Intrinsics.text(value, path + ".AllowedValues", "an allowed value"));
                }
                if (!allowedText.contains(item)) {
                    throw new TemplateException(path, "value '" + item + "' is not one of AllowedValues " + allowedText);
                }
            }
            if (definition.get("AllowedPattern") instanceof String pattern) {
                try {
                    if (!Pattern.compile(pattern).matcher(item).matches()) {
                        throw new TemplateException(path, "value '" + item + "' does not match AllowedPattern '"
                                + pattern + "'" + constraintDescription(definition));
                    }
                } catch (PatternSyntaxException e) {
                    throw new TemplateException(path + ".AllowedPattern", "not a valid pattern: " + e.getDescription());
                }
            }
            lengthBound(definition.get("MinLength"), path, "MinLength", item, definition);
            lengthBound(definition.get("MaxLength"), path, "MaxLength", item, definition);
        }
        return isList ? new ArrayList<>(items) : raw;
    }

    private static BigDecimal number(String text, String path) throws TemplateException {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new TemplateException(path, "value '" + text + "' is not a Number");
        }
    }

    private static void bound(Object limit, String path, String name, BigDecimal value, int violatingSign)
            throws TemplateException {
        if (limit != null && value.compareTo(number(String.valueOf(limit), path + "." + name)) == violatingSign) {
            throw new TemplateException(path, "value " + value.toPlainString() + " is "
                    + (violatingSign < 0 ? "below " : "above ") + name + " " + limit);
        }
    }

    private static void lengthBound(Object limit, String path, String name, String value, Map<?, ?> definition)
            throws TemplateException {
        if (limit instanceof Number n) {
            boolean tooShort = name.equals("MinLength") && value.length() < n.intValue();
            boolean tooLong = name.equals("MaxLength") && value.length() > n.intValue();
            if (tooShort || tooLong) {
                throw new TemplateException(path, "value '" + value + "' is " + value.length() + " characters; "
                        + name + " is " + n + constraintDescription(definition));
            }
        }
    }

    private static String constraintDescription(Map<?, ?> definition) {
        return definition.get("ConstraintDescription") instanceof String d ? " (" + d + ")" : "";
    }

    private static Map<?, ?> map(Object value, String path) throws TemplateException {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new TemplateException(path, "must be a map");
    }
}
