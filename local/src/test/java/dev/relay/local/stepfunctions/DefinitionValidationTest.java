package dev.relay.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What CreateStateMachine / ValidateStateMachineDefinition would reject, each problem with its location. */
class DefinitionValidationTest {

    private static List<String> problems(String definition) {
        try {
            StateMachineDefinition.parse(definition);
        } catch (DefinitionException e) {
            return e.problems();
        }
        throw new AssertionError("expected the definition to be rejected");
    }

    @Test
    void aMissingCatchTargetIsNamedByItsLocation() {
        assertThat(problems("""
                {"StartAt":"ChargeCard","States":{
                  "ChargeCard":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                    "Catch":[{"ErrorEquals":["States.ALL"],"Next":"RefundCardX"}]},
                  "RefundCard":{"Type":"Pass","End":true}}}"""))
                .contains("States.ChargeCard.Catch[0].Next: state 'RefundCardX' does not exist",
                        "States.RefundCard: state 'RefundCard' is not reachable");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        assertThat(problems("""
                {"StartAt":"Nope","Colour":"red","States":{
                  "A":{"Type":"Pass","Next":"B","End":true},
                  "W":{"Type":"Wait","End":true},
                  "T":{"Type":"Task","End":true,"Retry":[{"ErrorEquals":["States.ALL","Custom"],"MaxAttempts":-1}]},
                  "X":{"Type":"Teleport"}}}"""))
                .contains("Colour: field is not supported in the top level",
                        "StartAt: state 'Nope' does not exist",
                        "States.A: has both 'Next' and 'End'; a state either transitions or ends",
                        "States.W: a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath",
                        "States.T.Resource: required",
                        "States.T.Retry[0].MaxAttempts: must be a non-negative integer, got -1",
                        "States.T.Retry[0].ErrorEquals: 'States.ALL' must appear alone, in the last Retrier")
                .anyMatch(p -> p.startsWith("States.X.Type: 'Teleport' is not a state type"));
    }

    @Test
    void fieldsAreCheckedPerStateType() {
        assertThat(problems("""
                {"StartAt":"C","States":{
                  "C":{"Type":"Choice","Next":"S","Retry":[],"Choices":[
                     {"Variable":"$.a","NumericEquals":"one","Next":"S"},
                     {"Variable":"$.a","StringEquals":"x","BooleanEquals":true,"Next":"S"},
                     {"And":[{"Variable":"$.a","IsNull":true,"Next":"S"}],"Next":"S"},
                     {"Variable":"$.a","TimestampEquals":"yesterday","Next":"S"},
                     {"Variable":"$.a","StringMatchesPath":"$.b","Next":"S"}]},
                  "S":{"Type":"Succeed","End":true}}}"""))
                .contains("States.C.Next: field is not supported in a Choice state",
                        "States.C.Retry: field is not supported in a Choice state",
                        "States.C.Choices[0].NumericEquals: must be a number, got \"one\"",
                        "States.C.Choices[2].And[0].Next: only top-level Choice Rules may have 'Next'",
                        "States.C.Choices[3].TimestampEquals: must be an RFC 3339 timestamp string, got \"yesterday\"",
                        "States.C.Choices[4].StringMatchesPath: not a Choice Rule operator",
                        "States.S.End: field is not supported in a Succeed state")
                .anyMatch(p -> p.startsWith("States.C.Choices[1]: a Choice Rule needs exactly one operator"));
    }

    @Test
    void dynamicFieldsMustHoldPathsOrIntrinsicFunctions() {
        assertThat(problems("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","End":true,"ResultPath":"$.items[*]",
                  "Parameters":{"ok.$":"$.a","bad.$":"a.b","call.$":"States.Frobnicate($.a)","n.$":3,
                                "nested":{"deep.$":"States.Format('{}'"}}}}}"""))
                .anyMatch(p -> p.startsWith("States.P.Parameters.bad.$: invalid path")
                        || p.startsWith("States.P.Parameters.bad.$: a path must start"))
                .anyMatch(p -> p.startsWith("States.P.Parameters.call.$: invalid intrinsic function"))
                .anyMatch(p -> p.startsWith("States.P.Parameters.n.$: the value of a field ending in '.$'"))
                .anyMatch(p -> p.startsWith("States.P.Parameters.nested.deep.$: invalid intrinsic function"))
                .anyMatch(p -> p.startsWith("States.P.ResultPath: '$.items[*]' must be a reference path"));
    }

    @Test
    void branchesAreValidatedInTheirOwnScope() {
        assertThat(problems("""
                {"StartAt":"P","States":{
                  "P":{"Type":"Parallel","Next":"After","Branches":[
                    {"StartAt":"B1","States":{"B1":{"Type":"Pass","Next":"After"}}}]},
                  "After":{"Type":"Succeed"},
                  "M":{"Type":"Map","End":true,"ItemReader":{},"ItemProcessor":{"StartAt":"I","States":{
                    "I":{"Type":"Pass","End":true},"P":{"Type":"Pass","End":true}}}}}}"""))
                .contains("States.P.Branches[0].States.B1.Next: state 'After' does not exist",
                        "States.M: state 'M' is not reachable",
                        "States.M.ItemProcessor.States.P: the state name 'P' is used more than once in the state machine")
                .anyMatch(p -> p.startsWith("States.M.ItemReader: not supported by the local engine"));
    }

    @Test
    void retryAndCatchOnlyWhereAllowedAndWellFormed() {
        assertThat(problems("""
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true,
                       "TimeoutSeconds":5,"HeartbeatSeconds":10,
                       "Retry":[{"ErrorEquals":["States.Nope"],"BackoffRate":0.5,"JitterStrategy":"SOME","Extra":1}],
                       "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"},{"ErrorEquals":["X"],"Next":"Done"}]},
                  "Done":{"Type":"Pass","End":true,"Catch":[]}}}"""))
                .contains("States.T.HeartbeatSeconds: must be smaller than TimeoutSeconds (5)",
                        "States.T.Retry[0].Extra: field is not supported in a Retrier",
                        "States.T.Retry[0].BackoffRate: must be a number greater than or equal to 1.0",
                        "States.T.Retry[0].JitterStrategy: must be FULL or NONE, got 'SOME'",
                        "States.T.Catch[0].ErrorEquals: 'States.ALL' must appear alone, in the last Catcher",
                        "States.Done.Catch: field is not supported in a Pass state")
                .anyMatch(p -> p.startsWith("States.T.Retry[0].ErrorEquals: 'States.Nope' is not a predefined error"));
    }

    @Test
    void malformedJsonAndDuplicateKeysAreRejected() {
        assertThatThrownBy(() -> StateMachineDefinition.parse("{\"StartAt\":")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> StateMachineDefinition.parse(
                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"},\"A\":{\"Type\":\"Succeed\"}}}"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("Duplicate field 'A'");
    }

    @Test
    void jsonataIsReportedAsUnsupported() {
        assertThat(problems("{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Succeed\"}}}"))
                .anyMatch(p -> p.startsWith("QueryLanguage: 'JSONata' is not supported"));
    }

    @Test
    void aValidMachineParses() {
        StateMachineDefinition definition = StateMachineDefinition.parse("""
                {"Comment":"ok","StartAt":"A","TimeoutSeconds":60,"States":{
                  "A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"B",
                       "Retry":[{"ErrorEquals":["Lambda.ServiceException"],"MaxDelaySeconds":5,"JitterStrategy":"FULL"},
                                {"ErrorEquals":["States.ALL"]}],
                       "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"B"}]},
                  "B":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemSelector":{"v.$":"$$.Map.Item.Value"},
                       "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
                       "End":true}}}""");
        assertThat(definition.timeoutSeconds()).isEqualTo(60);
        assertThat(definition.graph().states()).containsKeys("A", "B");
    }
}
