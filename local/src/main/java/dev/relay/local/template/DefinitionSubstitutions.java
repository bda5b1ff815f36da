package dev.relay.local.template;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A state machine's {@code DefinitionSubstitutions}: {@code ${Name}} placeholders in its definition. */
public final class DefinitionSubstitutions {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private DefinitionSubstitutions() {
    }

    /** Replaces every {@code ${Name}} with its value, as SAM does; a placeholder with no value is an error. */
    public static String substitute(String definitionText, Map<String, String> substitutions) throws TemplateException {
        Matcher matcher = PLACEHOLDER.matcher(definitionText);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = substitutions.get(name);
            if (value == null) {
                int line = (int) definitionText.substring(0, matcher.start()).chars().filter(c -> c == '\n').count() + 1;
                throw new TemplateException("definition line " + line, "placeholder '${" + name
                        + "}' has no value in DefinitionSubstitutions " + substitutions.keySet().stream().sorted().toList());
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
