package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** A Choice Rule: a comparison on a Variable, or And / Or / Not of nested rules. */
public sealed interface ChoiceRule permits ChoiceRule.Comparison, ChoiceRule.And, ChoiceRule.Or, ChoiceRule.Not {

    /** Evaluates against the effective input and the context object. */
    boolean test(JsonNode input, JsonNode context);

    record And(List<ChoiceRule> rules) implements ChoiceRule {
        @Override
        public boolean test(JsonNode input, JsonNode context) {
            return rules.stream().allMatch(rule -> rule.test(input, context));
        }
    }

    record Or(List<ChoiceRule> rules) implements ChoiceRule {
        @Override
        public boolean test(JsonNode input, JsonNode context) {
            return rules.stream().anyMatch(rule -> rule.test(input, context));
        }
    }

    record Not(ChoiceRule rule) implements ChoiceRule {
        @Override
        public boolean test(JsonNode input, JsonNode context) {
            return !rule.test(input, context);
        }
    }

    enum Kind { STRING, NUMERIC, BOOLEAN, TIMESTAMP, TYPE_TEST }

    /** Every data-test operator; the {@code …Path} forms are the same operator with {@code valuePath} set. */
    enum Operator {
        StringEquals(Kind.STRING), StringLessThan(Kind.STRING), StringGreaterThan(Kind.STRING),
        StringLessThanEquals(Kind.STRING), StringGreaterThanEquals(Kind.STRING), StringMatches(Kind.STRING),
        NumericEquals(Kind.NUMERIC), NumericLessThan(Kind.NUMERIC), NumericGreaterThan(Kind.NUMERIC),
        NumericLessThanEquals(Kind.NUMERIC), NumericGreaterThanEquals(Kind.NUMERIC),
        BooleanEquals(Kind.BOOLEAN),
        TimestampEquals(Kind.TIMESTAMP), TimestampLessThan(Kind.TIMESTAMP), TimestampGreaterThan(Kind.TIMESTAMP),
        TimestampLessThanEquals(Kind.TIMESTAMP), TimestampGreaterThanEquals(Kind.TIMESTAMP),
        IsNull(Kind.TYPE_TEST), IsPresent(Kind.TYPE_TEST), IsNumeric(Kind.TYPE_TEST), IsString(Kind.TYPE_TEST),
        IsBoolean(Kind.TYPE_TEST), IsTimestamp(Kind.TYPE_TEST);

        final Kind kind;

        Operator(Kind kind) {
            this.kind = kind;
        }

        /** Whether a {@code …Path} variant exists (StringMatches and the type tests have none). */
        boolean hasPathForm() {
            return kind != Kind.TYPE_TEST && this != StringMatches;
        }
    }

    /** {@code "Variable": …, "<Operator>": value} or {@code "<Operator>Path": path}. */
    record Comparison(JsonPath variable, Operator operator, JsonNode value, JsonPath valuePath)
            implements ChoiceRule {

        @Override
        public boolean test(JsonNode input, JsonNode context) {
            JsonNode actual = variable.read(variable.isContext() ? context : input);
            if (operator == Operator.IsPresent) {
                return !actual.isMissingNode() == value.asBoolean();
            }
            if (actual.isMissingNode()) {
                throw new StatesError(StatesError.RUNTIME, "Invalid path '" + variable
                        + "': The choice state's condition path references an invalid value.");
            }
            JsonNode expected = value;
            if (valuePath != null) {
                expected = valuePath.read(valuePath.isContext() ? context : input);
                if (expected.isMissingNode()) {
                    throw new StatesError(StatesError.RUNTIME, "Invalid path '" + valuePath
                            + "': The choice state's condition path references an invalid value.");
                }
            }
            return switch (operator.kind) {
                case TYPE_TEST -> typeTest(actual) == expected.asBoolean();
                case STRING -> actual.isTextual() && expected.isTextual() && string(actual.asText(), expected.asText());
                case NUMERIC -> actual.isNumber() && expected.isNumber()
                        && order(actual.decimalValue().compareTo(expected.decimalValue()));
                case BOOLEAN -> actual.isBoolean() && expected.isBoolean() && actual.asBoolean() == expected.asBoolean();
                case TIMESTAMP -> {
                    Instant a = timestamp(actual);
                    Instant b = timestamp(expected);
                    yield a != null && b != null && order(a.compareTo(b));
                }
            };
        }

        private boolean typeTest(JsonNode actual) {
            return switch (operator) {
                case IsNull -> actual.isNull();
                case IsNumeric -> actual.isNumber();
                case IsString -> actual.isTextual();
                case IsBoolean -> actual.isBoolean();
                case IsTimestamp -> timestamp(actual) != null;
                default -> throw new IllegalStateException(operator.name());
            };
        }

        private boolean string(String actual, String expected) {
            if (operator == Operator.StringMatches) {
                return matches(actual, expected);
            }
            return order(actual.compareTo(expected));
        }

        private boolean order(int comparison) {
            String name = operator.name();
            if (name.endsWith("LessThanEquals")) {
                return comparison <= 0;
            }
            if (name.endsWith("GreaterThanEquals")) {
                return comparison >= 0;
            }
            if (name.endsWith("LessThan")) {
                return comparison < 0;
            }
            if (name.endsWith("GreaterThan")) {
                return comparison > 0;
            }
            return comparison == 0;
        }

        /** StringMatches: {@code *} matches any run of characters, {@code \*} and {@code \\} are literals. */
        static boolean matches(String text, String pattern) {
            StringBuilder regex = new StringBuilder();
            StringBuilder literal = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\' && i + 1 < pattern.length()) {
                    literal.append(pattern.charAt(++i));
                } else if (c == '*') {
                    regex.append(java.util.regex.Pattern.quote(literal.toString())).append(".*");
                    literal.setLength(0);
                } else {
                    literal.append(c);
                }
            }
            regex.append(java.util.regex.Pattern.quote(literal.toString()));
            return text.matches("(?s)" + regex);
        }

        static Instant timestamp(JsonNode node) {
            if (!node.isTextual()) {
                return null;
            }
            return parseTimestamp(node.asText());
        }
    }

    /** RFC 3339 timestamps (with an offset or Z), as ASL requires. */
    static Instant parseTimestamp(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

}
