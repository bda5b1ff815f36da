package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The intrinsic functions, with the examples of the Step Functions developer guide. */
class IntrinsicFunctionTest {

    private static final JsonNode INPUT = json("""
            {"name":"Arnav","escapedJsonString":"{\\"foo\\": \\"bar\\"}","unescapedJson":{"foo":"bar"},
             "someJson":{"random":"abcdefg"},"inputArray":[1,2,3,4,5,6,7,8,9],"dupes":[1,2,3,3,3,3,3,3,4],
             "json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3},
             "csv":"1,2,3,4,5","messy":"This.is+a,test=string","splitter":".+,=","value1":111,"step":-1}""");
    private static final JsonNode CONTEXT = json("{\"Execution\":{\"Name\":\"run-1\"}}");

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("States.Format('Hello, my name is {}.', $.name)", "\"Hello, my name is Arnav.\""),
                Arguments.of("States.Format('{} has {} items, {}', $.name, 3, true)", "\"Arnav has 3 items, true\""),
                Arguments.of("States.Format('braces \\{\\} and \\' quote {}', $$.Execution.Name)",
                        "\"braces {} and ' quote run-1\""),
                Arguments.of("States.StringToJson($.escapedJsonString)", "{\"foo\":\"bar\"}"),
                Arguments.of("States.JsonToString($.unescapedJson)", "\"{\\\"foo\\\":\\\"bar\\\"}\""),
                Arguments.of("States.Array('Foo', 2020, $.someJson, null)", "[\"Foo\",2020,{\"random\":\"abcdefg\"},null]"),
                Arguments.of("States.Array()", "[]"),
                Arguments.of("States.ArrayPartition($.inputArray, 4)", "[[1,2,3,4],[5,6,7,8],[9]]"),
                Arguments.of("States.ArrayContains($.inputArray, 5)", "true"),
                Arguments.of("States.ArrayContains($.inputArray, 'x')", "false"),
                Arguments.of("States.ArrayRange(1, 9, 2)", "[1,3,5,7,9]"),
                Arguments.of("States.ArrayRange(5, 1, -2)", "[5,3,1]"),
                Arguments.of("States.ArrayGetItem($.inputArray, 5)", "6"),
                Arguments.of("States.ArrayLength($.inputArray)", "9"),
                Arguments.of("States.ArrayUnique($.dupes)", "[1,2,3,4]"),
                Arguments.of("States.Base64Encode('Data to encode')", "\"RGF0YSB0byBlbmNvZGU=\""),
                Arguments.of("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", "\"Data to encode\""),
                Arguments.of("States.Hash('input data', 'SHA-1')", "\"aaff4a450a104cd177d28d18d74485e8cae074b7\""),
                Arguments.of("States.Hash('input data', 'MD5')", "\"812f45842bc6d66ee14572ce20db8e86\""),
                Arguments.of("States.Hash('input data', 'SHA-256')",
                        "\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\""),
                Arguments.of("States.JsonMerge($.json1, $.json2, false)", "{\"a\":{\"a3\":1,\"a4\":2},\"b\":2,\"c\":3}"),
                Arguments.of("States.MathAdd($.value1, $.step)", "110"),
                Arguments.of("States.StringSplit($.csv, ',')", "[\"1\",\"2\",\"3\",\"4\",\"5\"]"),
                Arguments.of("States.StringSplit($.messy, $.splitter)", "[\"This\",\"is\",\"a\",\"test\",\"string\"]"),
                Arguments.of("States.ArrayLength(States.StringSplit(States.ArrayGetItem(States.Array('a-b-c'), 0), '-'))",
                        "3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void evaluatesAsDocumented(String call, String expected) {
        assertThat(IntrinsicFunction.parse(call).evaluate(INPUT, CONTEXT)).isEqualTo(json(expected));
    }

    @Test
    void mathRandomStaysInRangeAndIsRepeatableWithASeed() {
        for (int i = 0; i < 50; i++) {
            int value = IntrinsicFunction.parse("States.MathRandom(1, 10)").evaluate(INPUT, CONTEXT).asInt();
            assertThat(value).isBetween(1, 9);
        }
        JsonNode first = IntrinsicFunction.parse("States.MathRandom(1, 1000, 42)").evaluate(INPUT, CONTEXT);
        JsonNode second = IntrinsicFunction.parse("States.MathRandom(1, 1000, 42)").evaluate(INPUT, CONTEXT);
        assertThat(first).isEqualTo(second);
    }

    @Test
    void uuidIsAVersion4Uuid() {
        assertThat(IntrinsicFunction.parse("States.UUID()").evaluate(INPUT, CONTEXT).asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("States.Format('{} and {}', 1)", "placeholders"),
                Arguments.of("States.StringToJson('{not json')", "not valid JSON"),
                Arguments.of("States.ArrayGetItem($.inputArray, 9)", "out of bounds"),
                Arguments.of("States.ArrayPartition($.inputArray, 0)", "positive"),
                Arguments.of("States.ArrayRange(1, 2000, 1)", "more than 1000"),
                Arguments.of("States.ArrayRange(1, 5, 0)", "step"),
                Arguments.of("States.Hash('x', 'SHA-3')", "algorithm"),
                Arguments.of("States.JsonMerge($.json1, $.json2, true)", "deep merge"),
                Arguments.of("States.MathAdd(1.5, 1)", "integer"),
                Arguments.of("States.ArrayLength($.name)", "must be an array"),
                Arguments.of("States.Format('{}', $.absent)", "could not be found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void badArgumentsAreIntrinsicFailures(String call, String message) {
        assertThatThrownBy(() -> IntrinsicFunction.parse(call).evaluate(INPUT, CONTEXT))
                .isInstanceOfSatisfying(StatesError.class, e -> {
                    assertThat(e.error()).isEqualTo("States.IntrinsicFailure");
                    assertThat(e.cause()).contains(message);
                });
    }

    @Test
    void unknownFunctionsAndWrongArityAreRejectedWhenParsing() {
        assertThatThrownBy(() -> IntrinsicFunction.parse("States.Nope(1)")).hasMessageContaining("not an intrinsic");
        assertThatThrownBy(() -> IntrinsicFunction.parse("States.ArrayLength()")).hasMessageContaining("takes 1");
        assertThatThrownBy(() -> IntrinsicFunction.parse("States.Format('unclosed)")).hasMessageContaining("unclosed");
    }

    @Test
    void intrinsicFailureInAStateIsCatchable() {
        Execution execution = Machines.run("""
                {"StartAt":"P","States":{
                  "P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass",
                       "Parameters":{"x.$":"States.StringToJson('nope')"},"End":true}}}],
                       "Catch":[{"ErrorEquals":["States.IntrinsicFailure"],"Next":"Caught"}]},
                  "Caught":{"Type":"Pass","End":true}}}""".replace("\"End\":true,\"Branches\"", "\"Next\":\"Done\",\"Branches\"")
                .replace("\"Caught\":{\"Type\":\"Pass\",\"End\":true}", "\"Caught\":{\"Type\":\"Pass\",\"End\":true},"
                        + "\"Done\":{\"Type\":\"Succeed\"}"), "{}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output().get("Error").asText()).isEqualTo("States.IntrinsicFailure");
    }
}
