package dev.relay.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Policies SNS would reject, each with the message naming the key and the problem. */
class FilterPolicyValidationTest {

    static String values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"" + prefix + i + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                Arguments.of("{\"type\": [{\"prefixx\": \"ticket.\"}]}",
                        "FilterPolicy: \"type\": operator \"prefixx\" is not supported"),
                Arguments.of("{\"store\": \"example_corp\"}",
                        "FilterPolicy: \"store\": must be an object or an array"),
                Arguments.of("{\"store\": []}",
                        "FilterPolicy: \"store\": the list of values is empty"),
                Arguments.of("{\"a\":[\"1\"],\"b\":[\"1\"],\"c\":[\"1\"],\"d\":[\"1\"],\"e\":[\"1\"],\"f\":[\"1\"]}",
                        "FilterPolicy: the policy has 6 keys [a, b, c, d, e, f]; SNS allows at most 5"),
                Arguments.of("{\"a\": " + values("a", 10) + ", \"b\": " + values("b", 16) + "}",
                        "FilterPolicy: the policy has 160 combinations of values; SNS allows at most 150"),
                Arguments.of("{\"customer\": {\"interests\": [\"rugby\"]}}",
                        "FilterPolicy: \"customer\": a nested policy needs FilterPolicyScope MessageBody; "
                                + "MessageAttributes policies are flat"),
                Arguments.of("{\"price\": [{\"numeric\": [\"!=\", 1]}]}",
                        "FilterPolicy: \"price\": numeric operator \"!=\" is not one of =, <, <=, >, >="),
                Arguments.of("{\"price\": [{\"numeric\": [\">\", 10, \"<\", 5]}]}",
                        "FilterPolicy: \"price\": numeric range lower bound 10 is not below upper bound 5"),
                Arguments.of("{\"price\": [{\"numeric\": [\"<\", 5, \">\", 1]}]}",
                        "FilterPolicy: \"price\": a numeric range is [\">\" or \">=\", lower, \"<\" or \"<=\", upper]"),
                Arguments.of("{\"price\": [{\"numeric\": [\">\", 2000000000]}]}",
                        "FilterPolicy: \"price\": number 2000000000 is outside the range SNS matches, -1000000000 to 1000000000"),
                Arguments.of("{\"price\": [{\"numeric\": [\">\", \"10\"]}]}",
                        "FilterPolicy: \"price\": numeric operator \">\" needs a number, got \"10\""),
                Arguments.of("{\"store\": [{\"exists\": \"yes\"}]}",
                        "FilterPolicy: \"store\": operator \"exists\" takes true or false"),
                Arguments.of("{\"ip\": [{\"cidr\": \"10.0.0.0/33\"}]}",
                        "FilterPolicy: \"ip\": \"10.0.0.0/33\" is not a CIDR block such as 10.0.0.0/24"),
                Arguments.of("{\"ip\": [{\"cidr\": \"example.com/24\"}]}",
                        "FilterPolicy: \"ip\": \"example.com/24\" is not a CIDR block such as 10.0.0.0/24"),
                Arguments.of("{\"event\": [{\"prefix\": \"a\", \"suffix\": \"b\"}]}",
                        "FilterPolicy: \"event\": an operator object must have exactly one operator, found 2"),
                Arguments.of("{\"event\": [{\"anything-but\": []}]}",
                        "FilterPolicy: \"event\": operator \"anything-but\" needs at least one value"),
                Arguments.of("{\"event\": [{\"anything-but\": {\"contains\": \"x\"}}]}",
                        "FilterPolicy: \"event\": operator \"anything-but\" takes a value, a list of values, "
                                + "{\"prefix\": ...} or {\"suffix\": ...}"),
                Arguments.of("{\"event\": [{\"prefix\": \"\"}]}",
                        "FilterPolicy: \"event\": operator \"prefix\" takes a non-empty string"),
                Arguments.of("[\"rugby\"]", "FilterPolicy: the policy must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void rejectsNamingTheKeyAndTheProblem(String policy, String message) {
        FilterPolicyException error = assertThrows(FilterPolicyException.class, () -> FilterPolicy.parse(policy));

        assertThat(error.getMessage()).isEqualTo(message);
    }

    @Test
    void nestedKeysAreNamedByTheirPathInBodyPolicies() {
        FilterPolicyException error = assertThrows(FilterPolicyException.class, () -> FilterPolicy.parse(
                "{\"detail\": {\"kind\": [{\"prefixx\": \"research.\"}]}}", FilterPolicy.Scope.MESSAGE_BODY));

        assertThat(error.getMessage()).isEqualTo("FilterPolicy: \"detail.kind\": operator \"prefixx\" is not supported");
    }

    @Test
    void orBranchesCountTheirCombinationsAndKeysSeparately() throws FilterPolicyException {
        // 1 x (2 + 1 x (2 + 3)) = 7 combinations; each alternative has at most 4 keys.
        assertThat(FilterPolicy.parse(FilterPolicyTest.NESTED_OR, FilterPolicy.Scope.MESSAGE_BODY).scope())
                .isEqualTo(FilterPolicy.Scope.MESSAGE_BODY);
    }

    @Test
    void invalidJsonAndUnknownScopesAreRejected() {
        assertThat(assertThrows(FilterPolicyException.class, () -> FilterPolicy.parse("{\"a\": [")).getMessage())
                .startsWith("FilterPolicy: not valid JSON: ");
        assertThat(assertThrows(FilterPolicyException.class, () -> FilterPolicy.Scope.of("Body")).getMessage())
                .isEqualTo("FilterPolicy: FilterPolicyScope \"Body\" is not supported; use MessageAttributes or MessageBody");
    }
}
