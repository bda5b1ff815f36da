package dev.relay.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.local.Clients;
import dev.relay.local.LocalCloud;
import dev.relay.local.LocalCloudOptions;
import dev.relay.local.lambda.TestFunctions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Step Functions on the local cloud's edge port, driven with the AWS SDK's {@code SfnClient} as a user would: the test
 * template's state machines calling real local Lambda functions, SNS, SQS and DynamoDB.
 */
class StepFunctionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:";
    /** Wait states and Retry intervals run this many times faster than real time. */
    private static final double TIME_SCALE = 600;

    private static LocalCloud cloud;
    private static SfnClient sfn;
    private static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloudOptions.defaults(Path.of("src/test/resources/templates/stepfunctions.yaml"))
                .withPorts(0, 0).withOfflineModel(false).withTimeScale(TIME_SCALE)
                .withParameterOverrides(Map.of("TestFunctionsJar", TestFunctions.jar().toString())));
        // StartSyncExecution's endpoint is "sync-" + host on AWS; a local IP endpoint cannot take that prefix.
        sfn = Clients.of(SfnClient.builder().overrideConfiguration(c -> c.putAdvancedOption(
                SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)), cloud.edgeUrl());
        sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
    }

    @AfterAll
    static void stop() {
        if (sfn != null) {
            sfn.close();
            sqs.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theTemplatesStateMachinesAreListedAndDescribed() {
        List<StateMachineListItem> machines = sfn.listStateMachines().stateMachines();
        assertThat(machines).extracting(StateMachineListItem::name).containsExactlyInAnyOrder("sfn-invoke",
                "sfn-integrations", "sfn-callback", "sfn-express", "sfn-backoff");
        assertThat(machines).filteredOn(m -> m.name().equals("sfn-express")).singleElement()
                .satisfies(m -> assertThat(m.type()).isEqualTo(StateMachineType.EXPRESS));

        DescribeStateMachineResponse invoke = sfn.describeStateMachine(b -> b.stateMachineArn(ARN + "sfn-invoke"));
        assertThat(invoke.type()).isEqualTo(StateMachineType.STANDARD);
        assertThat(invoke.definition()).contains("arn:aws:lambda:us-east-1:000000000000:function:sfn-echo")
                .doesNotContain("${EchoArn}");
        DescribeStateMachineResponse callback = sfn.describeStateMachine(b -> b.stateMachineArn(ARN + "sfn-callback"));
        assertThat(callback.roleArn()).isEqualTo("arn:aws:iam::000000000000:role/sfn-callback");
        assertThat(callback.definition()).contains(cloud.edgeUrl() + "/000000000000/sfn-approvals");
        assertThat(cloud.template().notEmulated()).anySatisfy(r -> assertThat(r.logicalId())
                .isEqualTo("BackoffMachine.Events.Nightly"));
    }

    @Test
    void lambdaInvokeAndLambdaArnTasksRunRealFunctions() throws Exception {
        DescribeExecutionResponse done = run("sfn-invoke", "greet-ada",
                "{\"name\":\"Ada\",\"failWith\":\"card declined\"}");

        assertThat(done.status()).as(done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = JSON.readTree(done.output());
        assertThat(output.at("/invoke")).isEqualTo(JSON.readTree("""
                {"echoed":{"greeting":"hello Ada","execution":"greet-ada"},"status":200,"version":"$LATEST"}"""));
        assertThat(output.at("/direct")).isEqualTo(JSON.readTree("{\"direct\":\"hello Ada\"}"));
        // A function error: its errorType is the error, its error object the cause.
        assertThat(output.at("/error/Error").asText()).isEqualTo("java.lang.IllegalStateException");
        JsonNode cause = JSON.readTree(output.at("/error/Cause").asText());
        assertThat(cause.path("errorMessage").asText()).isEqualTo("card declined");
        assertThat(cause.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");

        List<HistoryEvent> history = sfn.getExecutionHistory(b -> b.executionArn(done.executionArn())).events();
        assertThat(history).extracting(HistoryEvent::type).startsWith(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED,
                HistoryEventType.TASK_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
                HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED,
                HistoryEventType.LAMBDA_FUNCTION_STARTED, HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED)
                .contains(HistoryEventType.TASK_FAILED).endsWith(HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(history.getFirst().executionStartedEventDetails().input()).contains("\"name\":\"Ada\"");
        assertThat(first(history, HistoryEventType.TASK_STATE_ENTERED).stateEnteredEventDetails().name())
                .isEqualTo("Greet");
        HistoryEvent scheduled = first(history, HistoryEventType.TASK_SCHEDULED);
        assertThat(scheduled.taskScheduledEventDetails().resourceType()).isEqualTo("lambda");
        assertThat(scheduled.taskScheduledEventDetails().resource()).isEqualTo("invoke");
        assertThat(JSON.readTree(first(history, HistoryEventType.TASK_SUCCEEDED).taskSucceededEventDetails()
                .output()).fieldNames()).toIterable().containsExactly("ExecutedVersion", "Payload",
                "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode");
        assertThat(first(history, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED).lambdaFunctionScheduledEventDetails()
                .resource()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:sfn-echo");
        assertThat(first(history, HistoryEventType.TASK_FAILED).taskFailedEventDetails().error())
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(history.getLast().executionSucceededEventDetails().output()).isEqualTo(done.output());
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).id()).isEqualTo(i + 1L);
            assertThat(history.get(i).timestamp()).isBetween(done.startDate(), done.stopDate());
        }
    }

    @Test
    void snsSqsAndDynamoDbTasksDeliverAndStore() throws Exception {
        DescribeExecutionResponse done = run("sfn-integrations", "order-17",
                "{\"order\":{\"id\":\"o-17\",\"total\":59.9}}");

        assertThat(done.status()).as(done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = JSON.readTree(done.output());
        assertThat(output.at("/published/MessageId").asText()).isNotEmpty();
        assertThat(output.at("/published/SdkHttpMetadata/HttpStatusCode").asInt()).isEqualTo(200);
        assertThat(output.at("/sent/MessageId").asText()).isNotEmpty();
        assertThat(output.at("/sent/MD5OfMessageBody").asText()).hasSize(32);
        assertThat(output.at("/stored")).isEqualTo(JSON.readTree("{\"status\":\"CONFIRMED\",\"total\":\"59.9\"}"));
        assertThat(output.at("/duplicate/Error").asText()).isEqualTo("DynamoDB.ConditionalCheckFailedException");

        Message published = receive("sfn-notifications-copy", "o-17");
        assertThat(JSON.readTree(published.body())).isEqualTo(JSON.readTree("{\"id\":\"o-17\",\"total\":59.9}"));
        Message sent = receive("sfn-work", "o-17");
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("{\"id\":\"o-17\",\"total\":59.9}"));
        assertThat(sent.messageAttributes().get("source").stringValue()).isEqualTo("saga");
        try (DynamoDbClient dynamoDb = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl())) {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName("sfn-orders")
                    .key(Map.of("orderId", AttributeValue.fromS("o-17")))).item();
            assertThat(item).containsEntry("status", AttributeValue.fromS("CONFIRMED"))
                    .containsEntry("total", AttributeValue.fromN("59.9"));
        }
    }

    @Test
    void aTaskTokenResumesTheExecutionWithSendTaskSuccess() throws Exception {
        StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(ARN + "sfn-callback")
                .name("approve-1").input("{\"orderId\":\"o-1\"}"));
        String token = approvalRequest("o-1").path("token").asText();
        assertThat(status(started.executionArn())).isEqualTo(ExecutionStatus.RUNNING);

        sfn.sendTaskHeartbeat(b -> b.taskToken(token));
        sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"by\":\"ops\"}"));

        DescribeExecutionResponse done = awaitEnd(started.executionArn());
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(JSON.readTree(done.output())).isEqualTo(JSON.readTree(
                "{\"orderId\":\"o-1\",\"approval\":{\"by\":\"ops\"},\"outcome\":\"approved\"}"));
        assertThat(sfn.getExecutionHistory(b -> b.executionArn(started.executionArn())).events())
                .extracting(HistoryEvent::type).containsSubsequence(HistoryEventType.TASK_SUBMITTED,
                        HistoryEventType.TASK_SUCCEEDED);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void sendTaskFailureHandsTheErrorToTheCatcher() throws Exception {
        StartExecutionResponse started = sfn.startExecution(b -> b.stateMachineArn(ARN + "sfn-callback")
                .name("reject-1").input("{\"orderId\":\"o-2\"}"));
        String token = approvalRequest("o-2").path("token").asText();

        sfn.sendTaskFailure(b -> b.taskToken(token).error("Approval.Rejected").cause("over budget"));

        DescribeExecutionResponse done = awaitEnd(started.executionArn());
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(JSON.readTree(done.output())).isEqualTo(JSON.readTree("""
                {"orderId":"o-2","rejection":{"Error":"Approval.Rejected","Cause":"over budget"},
                 "outcome":"rejected"}"""));
    }

    @Test
    void startExecutionIsIdempotentByNameWhileTheExecutionRuns() throws Exception {
        String machine = ARN + "sfn-callback";
        StartExecutionResponse first = sfn.startExecution(b -> b.stateMachineArn(machine).name("order-42")
                .input("{\"orderId\":\"o-42\"}"));
        StartExecutionResponse again = sfn.startExecution(b -> b.stateMachineArn(machine).name("order-42")
                .input("{\"orderId\":\"o-42\"}"));
        assertThat(again.executionArn()).isEqualTo(first.executionArn())
                .isEqualTo("arn:aws:states:us-east-1:000000000000:execution:sfn-callback:order-42");
        assertThat(again.startDate()).isEqualTo(first.startDate());
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("order-42")
                .input("{\"orderId\":\"other\"}"))).isInstanceOf(ExecutionAlreadyExistsException.class);
        assertThat(approvalRequest("o-42").path("token").asText()).as("one execution, one request").isNotEmpty();

        sfn.stopExecution(b -> b.executionArn(first.executionArn()).error("Test.Stopped").cause("done here"));
        DescribeExecutionResponse stopped = awaitEnd(first.executionArn());
        assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(stopped.error()).isEqualTo("Test.Stopped");
        // A closed execution's name stays taken, whatever the input.
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("order-42")
                .input("{\"orderId\":\"o-42\"}"))).isInstanceOf(ExecutionAlreadyExistsException.class);
    }

    @Test
    void listExecutionsIsNewestFirstAndFiltersByStatus() throws Exception {
        String machine = ARN + "sfn-integrations";
        DescribeExecutionResponse older = run("sfn-integrations", "list-1", "{\"order\":{\"id\":\"l-1\",\"total\":1}}");
        DescribeExecutionResponse newer = run("sfn-integrations", "list-2", "{\"order\":{\"id\":\"l-2\",\"total\":2}}");

        List<ExecutionListItem> listed = sfn.listExecutions(b -> b.stateMachineArn(machine)
                .statusFilter(ExecutionStatus.SUCCEEDED)).executions();
        List<String> names = listed.stream().map(ExecutionListItem::name).toList();
        assertThat(names).contains("list-1", "list-2");
        assertThat(names.indexOf("list-2")).isLessThan(names.indexOf("list-1"));
        ExecutionListItem item = listed.get(names.indexOf("list-1"));
        assertThat(item.executionArn()).isEqualTo(older.executionArn());
        assertThat(item.stateMachineArn()).isEqualTo(machine);
        assertThat(item.startDate()).isEqualTo(older.startDate());
        assertThat(item.stopDate()).isEqualTo(older.stopDate());
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.FAILED))
                .executions()).isEmpty();
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(1)).nextToken()).isNotNull();

        assertThat(newer.stateMachineArn()).isEqualTo(machine);
        assertThat(newer.name()).isEqualTo("list-2");
        assertThat(JSON.readTree(newer.input())).isEqualTo(JSON.readTree("{\"order\":{\"id\":\"l-2\",\"total\":2}}"));
        assertThat(newer.stopDate()).isAfterOrEqualTo(newer.startDate());
        assertThat(newer.startDate()).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
    }

    @Test
    void startSyncExecutionReturnsTheLambdaInvokeResult() throws Exception {
        StartSyncExecutionResponse done = sfn.startSyncExecution(b -> b.stateMachineArn(ARN + "sfn-express")
                .input("{\"ping\":1}"));
        assertThat(done.status()).as(done.cause()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
        assertThat(done.executionArn()).startsWith("arn:aws:states:us-east-1:000000000000:express:sfn-express:");
        JsonNode result = JSON.readTree(done.output());
        assertThat(result.path("Payload")).isEqualTo(JSON.readTree("{\"ping\":1}"));
        assertThat(result.path("StatusCode").asInt()).isEqualTo(200);
        assertThat(result.path("ExecutedVersion").asText()).isEqualTo("$LATEST");
        assertThat(result.at("/SdkHttpMetadata/HttpStatusCode").asInt()).isEqualTo(200);
        assertThat(result.at("/SdkResponseMetadata/RequestId").asText()).isNotEmpty();
        assertThat(done.billingDetails().billedDurationInMilliseconds()).isPositive();
    }

    @Test
    void minuteLongWaitsAndBackoffsRunOnTheAcceleratedClock() throws Exception {
        long begin = System.nanoTime();
        DescribeExecutionResponse done = run("sfn-backoff", "backoff-1", "{\"orderId\":\"o-9\"}");
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(JSON.readTree(done.output()).at("/error/Error").asText())
                .isEqualTo("java.lang.IllegalStateException");
        // 120 s of Wait and 60 + 120 + 240 s of backoff: nine minutes of workflow time.
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        List<HistoryEvent> history = sfn.getExecutionHistory(b -> b.executionArn(done.executionArn())).events();
        List<HistoryEvent> failed = all(history, HistoryEventType.LAMBDA_FUNCTION_FAILED);
        List<HistoryEvent> scheduled = all(history, HistoryEventType.LAMBDA_FUNCTION_SCHEDULED);
        assertThat(failed).hasSize(4);
        long[] backoffSeconds = {60, 120, 240};
        for (int retry = 0; retry < 3; retry++) {
            Duration gap = Duration.between(failed.get(retry).timestamp(), scheduled.get(retry + 1).timestamp());
            Duration expected = Duration.ofMillis((long) (backoffSeconds[retry] * 1000 / TIME_SCALE));
            assertThat(gap).as("backoff before retry %d", retry + 1).isGreaterThanOrEqualTo(expected.minusMillis(1))
                    .isLessThan(expected.plusMillis(750));
        }
    }

    @Test
    void unknownArnsAndBadRequestsGetStepFunctionsErrors() throws Exception {
        String missingExecution = "arn:aws:states:us-east-1:000000000000:execution:sfn-invoke:never-started";
        assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(missingExecution)))
                .isInstanceOfSatisfying(ExecutionDoesNotExistException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExecutionDoesNotExist");
                    assertThat(e.awsErrorDetails().errorMessage()).contains(missingExecution);
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(missingExecution)))
                .isInstanceOf(ExecutionDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(ARN + "nope")))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(ARN + "nope")))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn("arn:aws:sqs:us-east-1:1:queue")))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(ARN + "sfn-invoke").input("{not json")))
                .isInstanceOf(InvalidExecutionInputException.class);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("no-such-token").output("{}")))
                .isInstanceOf(TaskDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("sfn-broken").roleArn("arn:aws:iam::0:role/r")
                .definition("""
                        {"StartAt":"Charge","States":{"Charge":{"Type":"Task","End":true,
                          "Resource":"arn:aws:lambda:us-east-1:000000000000:function:no-such-function"}}}""")))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.getMessage())
                        .contains("States.Charge.Resource").contains("no-such-function"));

        // The wire shape itself: AWS JSON 1.0's {"__type", "message"}.
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cloud.edgeUrl()))
                .header("X-Amz-Target", "AWSStepFunctions.DescribeExecution")
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{\"executionArn\":\"" + missingExecution + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(raw.body());
        assertThat(error.path("__type").asText()).isEqualTo("ExecutionDoesNotExist");
        assertThat(error.path("message").asText()).contains(missingExecution);
    }

    // ---- helpers ----

    private static DescribeExecutionResponse run(String machine, String name, String input) throws Exception {
        String arn = sfn.startExecution(b -> b.stateMachineArn(ARN + machine).name(name).input(input)).executionArn();
        return awaitEnd(arn);
    }

    private static DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (described.status() != ExecutionStatus.RUNNING || System.nanoTime() > deadline) {
                return described;
            }
            Thread.sleep(50);
        }
    }

    private static ExecutionStatus status(String executionArn) {
        return sfn.describeExecution(b -> b.executionArn(executionArn)).status();
    }

    /** The first message on {@code queue} whose body contains {@code text}; other executions' messages go. */
    private static Message receive(String queue, String text) {
        String url = cloud.edgeUrl() + "/000000000000/" + queue;
        for (int attempt = 0; attempt < 10; attempt++) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)
                    .maxNumberOfMessages(10).messageAttributeNames("All")).messages()) {
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                if (message.body().contains(text)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no message containing " + text + " on " + queue);
    }

    /** The approval request the callback machine sent for {@code orderId}: the task token and the order. */
    private static JsonNode approvalRequest(String orderId) throws Exception {
        JsonNode request = JSON.readTree(receive("sfn-approvals", "\"" + orderId + "\"").body());
        assertThat(request.path("orderId").asText()).isEqualTo(orderId);
        return request;
    }

    private static HistoryEvent first(List<HistoryEvent> history, HistoryEventType type) {
        return history.stream().filter(is(type)).findFirst().orElseThrow(() -> new AssertionError("no " + type));
    }

    private static List<HistoryEvent> all(List<HistoryEvent> history, HistoryEventType type) {
        return history.stream().filter(is(type)).toList();
    }

    private static Predicate<HistoryEvent> is(HistoryEventType type) {
        return event -> event.type() == type;
    }
}
