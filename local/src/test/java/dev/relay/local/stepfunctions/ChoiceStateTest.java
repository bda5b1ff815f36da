package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every Choice Rule operator, table-driven: {@code rule} is the JSON of one rule without Next. */
class ChoiceStateTest {

    private static final String INPUT = """
            {"s":"hello","s2":"world","n":10,"n2":10.0,"n3":3,"b":true,"b2":true,"t":"2024-01-01T00:00:00Z",
             "t2":"2024-06-01T12:00:00+02:00","nul":null,"star":"a*b","file":"log-2024.txt"}""";

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("{\"Variable\":\"$.s\",\"StringEquals\":\"hello\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringEquals\":\"Hello\"}", false),
                Arguments.of("{\"Variable\":\"$.n\",\"StringEquals\":\"10\"}", false),
                Arguments.of("{\"Variable\":\"$.s\",\"StringEqualsPath\":\"$.s2\"}", false),
                Arguments.of("{\"Variable\":\"$.s\",\"StringLessThan\":\"world\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringLessThanPath\":\"$.s2\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringGreaterThan\":\"abc\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringGreaterThanPath\":\"$.s2\"}", false),
                Arguments.of("{\"Variable\":\"$.s\",\"StringLessThanEquals\":\"hello\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringLessThanEqualsPath\":\"$.s\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringGreaterThanEquals\":\"hello\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringGreaterThanEqualsPath\":\"$.s2\"}", false),
                Arguments.of("{\"Variable\":\"$.file\",\"StringMatches\":\"log-*.txt\"}", true),
                Arguments.of("{\"Variable\":\"$.file\",\"StringMatches\":\"*.csv\"}", false),
                Arguments.of("{\"Variable\":\"$.star\",\"StringMatches\":\"a\\\\*b\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"StringMatches\":\"h\\\\*o\"}", false),
                Arguments.of("{\"Variable\":\"$.s\",\"StringMatches\":\"*\"}", true),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericEquals\":10}", true),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericEqualsPath\":\"$.n2\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"NumericEquals\":10}", false),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericLessThan\":10.5}", true),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericLessThanPath\":\"$.n3\"}", false),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericGreaterThan\":9}", true),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericGreaterThanPath\":\"$.n3\"}", true),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericLessThanEquals\":10}", true),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericLessThanEqualsPath\":\"$.n3\"}", false),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericGreaterThanEquals\":11}", false),
                Arguments.of("{\"Variable\":\"$.n\",\"NumericGreaterThanEqualsPath\":\"$.n2\"}", true),
                Arguments.of("{\"Variable\":\"$.b\",\"BooleanEquals\":true}", true),
                Arguments.of("{\"Variable\":\"$.b\",\"BooleanEqualsPath\":\"$.b2\"}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"BooleanEquals\":true}", false),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampEquals\":\"2024-01-01T01:00:00+01:00\"}", true),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampEqualsPath\":\"$.t2\"}", false),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampLessThan\":\"2024-01-02T00:00:00Z\"}", true),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampLessThanPath\":\"$.t2\"}", true),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampGreaterThan\":\"2023-12-31T23:59:59Z\"}", true),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampGreaterThanPath\":\"$.t2\"}", false),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampLessThanEquals\":\"2024-01-01T00:00:00Z\"}", true),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampLessThanEqualsPath\":\"$.t\"}", true),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampGreaterThanEquals\":\"2024-01-01T00:00:01Z\"}", false),
                Arguments.of("{\"Variable\":\"$.t\",\"TimestampGreaterThanEqualsPath\":\"$.t2\"}", false),
                Arguments.of("{\"Variable\":\"$.s\",\"TimestampEquals\":\"2024-01-01T00:00:00Z\"}", false),
                Arguments.of("{\"Variable\":\"$.nul\",\"IsNull\":true}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"IsNull\":false}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"IsPresent\":true}", true),
                Arguments.of("{\"Variable\":\"$.absent\",\"IsPresent\":true}", false),
                Arguments.of("{\"Variable\":\"$.absent\",\"IsPresent\":false}", true),
                Arguments.of("{\"Variable\":\"$.n\",\"IsNumeric\":true}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"IsNumeric\":true}", false),
                Arguments.of("{\"Variable\":\"$.s\",\"IsString\":true}", true),
                Arguments.of("{\"Variable\":\"$.b\",\"IsBoolean\":true}", true),
                Arguments.of("{\"Variable\":\"$.t\",\"IsTimestamp\":true}", true),
                Arguments.of("{\"Variable\":\"$.s\",\"IsTimestamp\":false}", true),
                Arguments.of("{\"And\":[{\"Variable\":\"$.n\",\"NumericGreaterThan\":1},"
                        + "{\"Variable\":\"$.s\",\"StringEquals\":\"hello\"}]}", true),
                Arguments.of("{\"And\":[{\"Variable\":\"$.n\",\"NumericGreaterThan\":1},"
                        + "{\"Variable\":\"$.s\",\"StringEquals\":\"nope\"}]}", false),
                Arguments.of("{\"Or\":[{\"Variable\":\"$.n\",\"NumericGreaterThan\":100},"
                        + "{\"Variable\":\"$.s\",\"StringEquals\":\"hello\"}]}", true),
                Arguments.of("{\"Not\":{\"Variable\":\"$.s\",\"StringEquals\":\"hello\"}}", false),
                Arguments.of("{\"Variable\":\"$$.Execution.Name\",\"StringEquals\":\"test-run\"}", true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rules")
    void operatorDecidesTheBranch(String rule, boolean matches) {
        String ruleWithNext = rule.substring(0, rule.length() - 1) + ",\"Next\":\"Yes\"}";
        Execution execution = run("""
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[%s],"Default":"No"},
                  "Yes":{"Type":"Pass","Result":"yes","End":true},
                  "No":{"Type":"Pass","Result":"no","End":true}}}""".formatted(ruleWithNext), INPUT);
        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output().asText()).isEqualTo(matches ? "yes" : "no");
    }

    @Test
    void firstMatchingRuleWinsAndTheOutputIsTheInput() {
        Execution execution = run("""
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[
                     {"Variable":"$.n","NumericGreaterThan":1,"Next":"First"},
                     {"Variable":"$.n","NumericGreaterThan":0,"Next":"Second"}]},
                  "First":{"Type":"Succeed"},"Second":{"Type":"Fail"}}}""", "{\"n\":5}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(Machines.json("{\"n\":5}"));
        assertThat(Machines.eventTypes(execution)).contains("ChoiceStateEntered", "ChoiceStateExited");
    }

    @Test
    void noMatchAndNoDefaultIsNoChoiceMatched() {
        Execution execution = run("""
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"X"}]},
                  "X":{"Type":"Succeed"}}}""", "{\"n\":2}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("States.NoChoiceMatched");
    }

    @Test
    void comparingAMissingVariableIsARuntimeError() {
        Execution execution = run("""
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Choices":[{"Variable":"$.absent","NumericEquals":1,"Next":"X"}],"Default":"X"},
                  "X":{"Type":"Succeed"}}}""", "{}");
        assertThat(execution.error()).isEqualTo("States.Runtime");
    }
}
