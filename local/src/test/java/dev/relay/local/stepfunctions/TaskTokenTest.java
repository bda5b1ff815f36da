package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code .waitForTaskToken}: the task waits for SendTaskSuccess / SendTaskFailure / heartbeats by token. */
class TaskTokenTest {
    private static final String APPROVAL = """
            {"StartAt":"AskHuman","States":{
              "AskHuman":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters":{"QueueUrl":"approvals","MessageBody":{"token.$":"$$.Task.Token","amount.$":"$.amount"}},
                %s
                "ResultPath":"$.decision","End":true}}}""";

    private final BlockingQueue<TaskRequest> sent = new LinkedBlockingQueue<>();
    // Engine time 10x real time: HeartbeatSeconds 2 is 200 ms of real time, heartbeats come every 40 ms.
    private final Engine engine = new Engine(request -> {
        sent.add(request);
        return json("{\"MessageId\":\"m-1\"}");
    }, EngineClock.scaled(10));

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private Execution start(String timeouts) {
        return engine.start(StateMachineDefinition.parse(APPROVAL.formatted(timeouts)), "approval-1",
                json("{\"amount\":120}"), ExecutionContext.local("Approvals"));
    }

    private TaskRequest nextRequest() throws InterruptedException {
        TaskRequest request = sent.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("the task was sent").isNotNull();
        return request;
    }

    @Test
    void sendTaskSuccessCompletesTheTaskWithItsOutput() throws Exception {
        Execution execution = start("");
        TaskRequest request = nextRequest();
        String token = request.parameters().get("MessageBody").get("token").asText();
        assertThat(token).isEqualTo(request.taskToken());
        assertThat(request.parameters().get("MessageBody").get("amount").asInt()).isEqualTo(120);

        engine.sendTaskSuccess(token, json("{\"approved\":true}"));

        assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(json("{\"amount\":120,\"decision\":{\"approved\":true}}"));
        assertThat(Machines.eventTypes(execution)).containsSubsequence("TaskScheduled", "TaskStarted",
                "TaskSubmitted", "TaskSucceeded", "TaskStateExited");
        HistoryEvent scheduled = execution.history().stream().filter(e -> e.type().equals("TaskScheduled"))
                .findFirst().orElseThrow();
        assertThat(scheduled.details().get("resourceType").asText()).isEqualTo("sqs");
        assertThat(scheduled.details().get("resource").asText()).isEqualTo("sendMessage.waitForTaskToken");
        assertThatThrownBy(() -> engine.sendTaskSuccess(token, json("{}")))
                .isInstanceOf(TaskTokenException.TaskTimedOut.class);
    }

    @Test
    void sendTaskFailureFailsTheTaskWithTheGivenError() throws Exception {
        Execution execution = start("");
        engine.sendTaskFailure(nextRequest().taskToken(), "Approval.Rejected", "too expensive");
        assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("Approval.Rejected");
        assertThat(execution.cause()).isEqualTo("too expensive");
        assertThat(Machines.eventTypes(execution)).contains("TaskFailed");
    }

    @Test
    void heartbeatsKeepTheTaskAliveUntilTheyStop() throws Exception {
        Execution execution = start("\"HeartbeatSeconds\":2,");
        String token = nextRequest().taskToken();
        for (int i = 0; i < 6; i++) {
            Thread.sleep(40);
            engine.sendTaskHeartbeat(token);
        }
        assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);

        assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("States.HeartbeatTimeout");
        assertThat(Machines.eventTypes(execution)).contains("TaskTimedOut");
        assertThatThrownBy(() -> engine.sendTaskSuccess(token, json("{}")))
                .isInstanceOf(TaskTokenException.TaskTimedOut.class);
    }

    @Test
    void timeoutSecondsBoundsTheWholeWait() throws Exception {
        Execution execution = start("\"TimeoutSeconds\":4,\"HeartbeatSeconds\":3,");
        String token = nextRequest().taskToken();
        for (int i = 0; i < 8; i++) {
            Thread.sleep(30);
            try {
                engine.sendTaskHeartbeat(token);
            } catch (TaskTokenException closed) {
                break;
            }
        }
        assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("States.Timeout");
    }

    @Test
    void unknownTokensDoNotExist() {
        assertThatThrownBy(() -> engine.sendTaskSuccess("no-such-token", json("{}")))
                .isInstanceOfSatisfying(TaskTokenException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("TaskDoesNotExist"));
        assertThatThrownBy(() -> engine.sendTaskHeartbeat("no-such-token"))
                .isInstanceOf(TaskTokenException.TaskDoesNotExist.class);
    }

    @Test
    void stoppingTheExecutionClosesItsTokens() throws Exception {
        Execution execution = start("");
        String token = nextRequest().taskToken();
        execution.stop("Ops.Cancelled", "no longer needed");
        assertThat(execution.awaitCompletion(Duration.ofSeconds(5))).isEqualTo(ExecutionStatus.ABORTED);
        assertThatThrownBy(() -> engine.sendTaskSuccess(token, json("{}")))
                .isInstanceOf(TaskTokenException.TaskTimedOut.class);
    }
}
