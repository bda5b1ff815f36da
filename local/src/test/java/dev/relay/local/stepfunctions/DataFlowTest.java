package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static dev.relay.local.stepfunctions.Machines.outputOf;
import static dev.relay.local.stepfunctions.Machines.run;
import static dev.relay.local.stepfunctions.Machines.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** InputPath → Parameters → task → ResultSelector → ResultPath → OutputPath, with the AWS docs' examples. */
class DataFlowTest {

    @Test
    void inputPathSelectsPartOfTheInputAsInTheDocsExample() {
        JsonNode output = outputOf(single("""
                {"Type":"Pass","InputPath":"$.dataset2","End":true}"""), """
                {"comment":"Example for InputPath.","dataset1":{"val1":1,"val2":2,"val3":3},
                 "dataset2":{"val1":"a","val2":"b","val3":"c"}}""");
        assertThat(output).isEqualTo(json("{\"val1\":\"a\",\"val2\":\"b\",\"val3\":\"c\"}"));
    }

    @Test
    void parametersBuildANewObjectFromPathsAndStaticValuesAsInTheDocsExample() {
        JsonNode output = outputOf(single("""
                {"Type":"Pass","End":true,"Parameters":{"comment":"Selecting what I care about.",
                  "MyDetails":{"size.$":"$.product.details.size","exists.$":"$.product.availability",
                  "StaticValue":"foo"}}}"""), """
                {"comment":"Example for Parameters.","product":{"details":{"color":"blue","size":"small",
                 "material":"cotton"},"availability":"in stock","sku":"2317","cost":"$23"}}""");
        assertThat(output).isEqualTo(json("""
                {"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock",
                 "StaticValue":"foo"}}"""));
    }

    @Test
    void resultSelectorThenResultPathPlaceTheSelectedResultInsideTheInputAsInTheDocsExample() {
        String definition = single("""
                {"Type":"Task","Resource":"arn:aws:states:::elasticmapreduce:createCluster.sync","End":true,
                 "ResultSelector":{"ClusterId.$":"$.output.ClusterId","ResourceType.$":"$.resourceType"},
                 "ResultPath":"$.EMROutput"}""");
        Execution execution = run(definition, "{\"cluster\":\"c1\"}", request -> json("""
                {"resourceType":"elasticmapreduce","resource":"createCluster.sync",
                 "output":{"SdkHttpMetadata":{"HttpStatusCode":200},"ClusterId":"AKIAIOSFODNN7EXAMPLE"}}"""));
        assertThat(execution.output()).isEqualTo(json("""
                {"cluster":"c1","EMROutput":{"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce"}}"""));
    }

    @Test
    void resultPathKeepsTheInputAndAddsTheTaskResult() {
        Execution execution = run(single("""
                {"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:HelloFunction",
                 "ResultPath":"$.taskresult","End":true}"""), """
                {"comment":"This is a test of the input and output of a Task state.","details":"Default example",
                 "who":"AWS Step Functions"}""", request -> json("\"Hello, " + request.parameters().get("who").asText()
                + "!\""));
        assertThat(execution.output()).isEqualTo(json("""
                {"comment":"This is a test of the input and output of a Task state.","details":"Default example",
                 "who":"AWS Step Functions","taskresult":"Hello, AWS Step Functions!"}"""));
        assertThat(Machines.eventTypes(execution)).containsSubsequence("TaskStateEntered", "LambdaFunctionScheduled",
                "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded");
    }

    @Test
    void allFiveStepsApplyInOrder() {
        String definition = single("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                 "InputPath":"$.order",
                 "Parameters":{"FunctionName":"price","Payload":{"sku.$":"$.sku","qty.$":"$.qty"}},
                 "ResultSelector":{"total.$":"$.Payload.total"},
                 "ResultPath":"$.pricing",
                 "OutputPath":"$.pricing"}""");
        Execution execution = run(definition, "{\"order\":{\"sku\":\"A1\",\"qty\":3},\"other\":1}", request -> {
            assertThat(request.parameters()).isEqualTo(json(
                    "{\"FunctionName\":\"price\",\"Payload\":{\"sku\":\"A1\",\"qty\":3}}"));
            return json("{\"StatusCode\":200,\"Payload\":{\"total\":30}}");
        });
        assertThat(execution.output()).isEqualTo(json("{\"total\":30}"));
    }

    @Test
    void nullPathsDiscard() {
        assertThat(outputOf(single("{\"Type\":\"Pass\",\"InputPath\":null,\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{}"));
        assertThat(outputOf(single("{\"Type\":\"Pass\",\"Result\":\"x\",\"ResultPath\":null,\"End\":true}"),
                "{\"a\":1}")).isEqualTo(json("{\"a\":1}"));
        assertThat(outputOf(single("{\"Type\":\"Pass\",\"OutputPath\":null,\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{}"));
    }

    @Test
    void passResultReplacesTheInputByDefaultAndResultPathCreatesMissingObjects() {
        assertThat(outputOf(single("{\"Type\":\"Pass\",\"Result\":{\"x\":1},\"End\":true}"), "{\"a\":1}"))
                .isEqualTo(json("{\"x\":1}"));
        assertThat(outputOf(single("{\"Type\":\"Pass\",\"Result\":7,\"ResultPath\":\"$.b.c\",\"End\":true}"),
                "{\"a\":1}")).isEqualTo(json("{\"a\":1,\"b\":{\"c\":7}}"));
    }

    @Test
    void numbersPassThroughUnchanged() {
        assertThat(Json.write(outputOf(single("{\"Type\":\"Pass\",\"End\":true}"),
                "{\"a\":10.0,\"b\":1.50,\"c\":12345678901234567890,\"d\":1e3}")))
                .isEqualTo("{\"a\":10.0,\"b\":1.50,\"c\":12345678901234567890,\"d\":1E+3}");
    }

    @Test
    void contextObjectIsAvailableThroughDoubleDollarPaths() {
        JsonNode output = outputOf(single("""
                {"Type":"Pass","End":true,"Parameters":{"id.$":"$$.Execution.Id","name.$":"$$.Execution.Name",
                 "input.$":"$$.Execution.Input","machine.$":"$$.StateMachine.Name","state.$":"$$.State.Name",
                 "retries.$":"$$.State.RetryCount","role.$":"$$.Execution.RoleArn","started.$":"$$.Execution.StartTime",
                 "entered.$":"$$.State.EnteredTime"}}"""), "{\"k\":1}");
        assertThat(output.get("id").asText())
                .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:TestMachine:test-run");
        assertThat(output.get("name").asText()).isEqualTo("test-run");
        assertThat(output.get("input")).isEqualTo(json("{\"k\":1}"));
        assertThat(output.get("machine").asText()).isEqualTo("TestMachine");
        assertThat(output.get("state").asText()).isEqualTo("S");
        assertThat(output.get("retries").asInt()).isZero();
        assertThat(output.get("role").asText()).startsWith("arn:aws:iam::");
        assertThat(output.get("started").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(output.get("entered").asText()).endsWith("Z");
    }

    @Test
    void missingParameterPathFailsTheExecutionWithStatesRuntime() {
        Execution execution = run(single("""
                {"Type":"Pass","End":true,"Parameters":{"x.$":"$.missing"}}"""), "{}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("States.Runtime");
        assertThat(execution.cause()).contains("$.missing").contains("x.$");
    }

    @Test
    void missingInputPathFailsWithStatesRuntimeNamingTheState() {
        Execution execution = run(single("{\"Type\":\"Pass\",\"InputPath\":\"$.nope\",\"End\":true}"), "{}");
        assertThat(execution.error()).isEqualTo("States.Runtime");
        assertThat(execution.cause()).contains("'$.nope'").contains("InputPath").contains("'S'");
    }

    @Test
    void resultPathIntoAScalarIsAResultPathMatchFailure() {
        Execution execution = run(single("""
                {"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}"""), "{\"a\":\"text\"}");
        assertThat(execution.error()).isEqualTo("States.ResultPathMatchFailure");
    }

    @Test
    void historyRecordsEnteredAndExitedWithInputAndOutput() {
        Execution execution = run("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,"Next":"B"},"B":{"Type":"Succeed"}}}""", "{}");
        assertThat(Machines.eventTypes(execution)).containsExactly("ExecutionStarted", "PassStateEntered",
                "PassStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded");
        HistoryEvent exited = execution.history().get(2);
        assertThat(exited.toJson().get("stateExitedEventDetails").get("output").asText()).isEqualTo("1");
        assertThat(exited.previousEventId()).isEqualTo(2);
        assertThat(execution.history().get(0).toJson().get("executionStartedEventDetails").get("input").asText())
                .isEqualTo("{}");
    }
}
