package dev.relay.offline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets a prompt choose enum values and booleans of a structured answer by naming them as
 * {@code name: value} or {@code name=value} (quotes allowed, as in a JSON payload), case-insensitive.
 */
final class PromptSteering {

    // Quotes, backslashes of JSON-in-a-string and backticks may surround names and values.
    private static final String QUOTES = "[\\\\\"'`]*";

    private final String text;

    PromptSteering(String text) {
        this.text = text;
    }

    /** The first value, in the schema's order, that the prompt names for this property as a whole word. */
    Optional<JsonNode> enumValue(String name, List<JsonNode> values) {
        if (name == null) {
            return Optional.empty();
        }
        return values.stream()
                .filter(JsonNode::isValueNode)
                .filter(value -> marker(name, Pattern.quote(value.asText())).find())
                .findFirst();
    }

    /** The first {@code true}/{@code false} the prompt names for this property. */
    Optional<Boolean> booleanValue(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Matcher matcher = marker(name, "true|false");
        return matcher.find() ? Optional.of(Boolean.parseBoolean(matcher.group(1).toLowerCase())) : Optional.empty();
    }

    private Matcher marker(String name, String valueRegex) {
        String regex = "(?<![\\w-])" + QUOTES + Pattern.quote(name) + QUOTES + "\\s*[:=]\\s*" + QUOTES
                + "(" + valueRegex + ")(?![\\w-])";
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text);
    }
}
