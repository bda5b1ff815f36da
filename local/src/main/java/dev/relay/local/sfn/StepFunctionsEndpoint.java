package dev.relay.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import dev.relay.local.stepfunctions.Execution;
import dev.relay.local.stepfunctions.ExecutionStatus;
import dev.relay.local.stepfunctions.HistoryEvent;
import dev.relay.local.stepfunctions.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The Step Functions API (AWS JSON 1.0, {@code X-Amz-Target: AWSStepFunctions.<Action>}) as the AWS SDKs and CLI call
 * it: CreateStateMachine, DeleteStateMachine, DescribeStateMachine, ListStateMachines, StartExecution,
 * StartSyncExecution, DescribeExecution, StopExecution, ListExecutions, GetExecutionHistory, SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat, with AWS's field names and error codes. Anything else is answered with a
 * clear {@code UnknownOperationException}.
 *
 * @see <a href="https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html">API actions</a>
 */
public final class StepFunctionsEndpoint implements Endpoint {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;
    /** Execution data GetExecutionHistory leaves out when asked to exclude it. */
    private static final Set<String> EXECUTION_DATA = Set.of("input", "inputDetails", "output", "outputDetails",
            "parameters");

    private final StepFunctionsService service;

    public StepFunctionsEndpoint(StepFunctionsService service) {
        this.service = service;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) {
        String target = request.header("x-amz-target").orElse("");
        String action = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
        JsonNode body;
        try {
            body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (IOException e) {
            return EdgeResponse.awsJsonError(400, "SerializationException", "the request body is not JSON: "
                    + e.getMessage());
        }
        try {
            ObjectNode answer = switch (action) {
                case "CreateStateMachine" -> createStateMachine(body);
                case "DeleteStateMachine" -> {
                    service.deleteStateMachine(required(body, "stateMachineArn"));
                    yield JSON.createObjectNode();
                }
                case "DescribeStateMachine" -> describeStateMachine(service.stateMachine(required(body,
                        "stateMachineArn")));
                case "ListStateMachines" -> listStateMachines(body);
                case "StartExecution" -> {
                    Execution execution = service.startExecution(required(body, "stateMachineArn"),
                            optional(body, "name"), optional(body, "input"));
                    yield JSON.createObjectNode().put("executionArn", execution.executionArn())
                            .put("startDate", seconds(execution.startDate()));
                }
                case "StartSyncExecution" -> startSyncExecution(body);
                case "DescribeExecution" -> describeExecution(service.execution(required(body, "executionArn")));
                case "StopExecution" -> {
                    Execution execution = service.stopExecution(required(body, "executionArn"),
                            optional(body, "error"), optional(body, "cause"));
                    yield JSON.createObjectNode().put("stopDate", seconds(execution.stopDate()));
                }
                case "ListExecutions" -> listExecutions(body);
                case "GetExecutionHistory" -> executionHistory(body);
                case "SendTaskSuccess" -> {
                    service.sendTaskSuccess(required(body, "taskToken"), required(body, "output"));
                    yield JSON.createObjectNode();
                }
                case "SendTaskFailure" -> {
                    service.sendTaskFailure(required(body, "taskToken"), optional(body, "error"),
                            optional(body, "cause"));
                    yield JSON.createObjectNode();
                }
                case "SendTaskHeartbeat" -> {
                    service.sendTaskHeartbeat(required(body, "taskToken"));
                    yield JSON.createObjectNode();
                }
                default -> throw new StepFunctionsException("UnknownOperationException", "Step Functions action '"
                        + action + "' is not emulated locally (CreateStateMachine, DeleteStateMachine, "
                        + "DescribeStateMachine, ListStateMachines, StartExecution, StartSyncExecution, "
                        + "DescribeExecution, StopExecution, ListExecutions, GetExecutionHistory, SendTaskSuccess, "
                        + "SendTaskFailure and SendTaskHeartbeat are)");
            };
            return EdgeResponse.of(200, CONTENT_TYPE, Json.write(answer));
        } catch (StepFunctionsException e) {
            return EdgeResponse.awsJsonError(400, e.code(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EdgeResponse.awsJsonError(500, "ServiceUnavailable", "the local cloud is stopping");
        }
    }

    // ---- state machines ----

    private ObjectNode createStateMachine(JsonNode body) {
        String type = body.path("type").asText("STANDARD");
        StateMachineType machineType;
        try {
            machineType = StateMachineType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new StepFunctionsException("ValidationException", "1 validation error detected: Value '" + type
                    + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[STANDARD, EXPRESS]");
        }
        StateMachine machine = service.createStateMachine(required(body, "name"), required(body, "definition"),
                machineType, optional(body, "roleArn"));
        return JSON.createObjectNode().put("stateMachineArn", machine.arn())
                .put("creationDate", seconds(machine.creationDate()));
    }

    private static ObjectNode describeStateMachine(StateMachine machine) {
        ObjectNode answer = JSON.createObjectNode()
                .put("stateMachineArn", machine.arn())
                .put("name", machine.name())
                .put("status", "ACTIVE")
                .put("definition", machine.definitionText())
                .put("roleArn", machine.roleArn())
                .put("type", machine.type().name())
                .put("creationDate", seconds(machine.creationDate()));
        answer.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
        answer.putObject("tracingConfiguration").put("enabled", false);
        return answer;
    }

    private ObjectNode listStateMachines(JsonNode body) {
        ObjectNode answer = JSON.createObjectNode();
        page(service.stateMachines(), body, answer, "stateMachines", machine -> JSON.createObjectNode()
                .put("stateMachineArn", machine.arn())
                .put("name", machine.name())
                .put("type", machine.type().name())
                .put("creationDate", seconds(machine.creationDate())));
        return answer;
    }

    // ---- executions ----

    private ObjectNode startSyncExecution(JsonNode body) throws InterruptedException {
        Execution execution = service.startSyncExecution(required(body, "stateMachineArn"), optional(body, "name"),
                optional(body, "input"));
        ObjectNode answer = describeExecution(execution);
        // A synchronous execution ends SUCCEEDED, FAILED or TIMED_OUT; the local cloud aborts one only at its limit.
        if (execution.status() == ExecutionStatus.ABORTED) {
            answer.put("status", ExecutionStatus.TIMED_OUT.name());
        }
        long billed = Duration.between(execution.startDate(), execution.stopDate()).toMillis();
        answer.putObject("billingDetails").put("billedMemoryUsedInMB", 64)
                .put("billedDurationInMilliseconds", Math.max(100, (billed + 99) / 100 * 100));
        return answer;
    }

    private static ObjectNode describeExecution(Execution execution) {
        ObjectNode answer = summary(execution);
        answer.put("input", Json.write(execution.input()));
        answer.putObject("inputDetails").put("included", true);
        JsonNode output = execution.output();
        if (output != null) {
            answer.put("output", Json.write(output));
            answer.putObject("outputDetails").put("included", true);
        }
        if (execution.error() != null) {
            answer.put("error", execution.error());
        }
        if (execution.cause() != null) {
            answer.put("cause", execution.cause());
        }
        return answer;
    }

    private static ObjectNode summary(Execution execution) {
        ObjectNode summary = JSON.createObjectNode()
                .put("executionArn", execution.executionArn())
                .put("stateMachineArn", execution.context().stateMachineArn())
                .put("name", execution.name())
                .put("status", execution.status().name())
                .put("startDate", seconds(execution.startDate()));
        Instant stopDate = execution.stopDate();
        if (stopDate != null) {
            summary.put("stopDate", seconds(stopDate));
        }
        return summary;
    }

    private ObjectNode listExecutions(JsonNode body) {
        String filter = optional(body, "statusFilter");
        ExecutionStatus status = null;
        if (filter != null) {
            try {
                status = ExecutionStatus.valueOf(filter.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new StepFunctionsException("ValidationException", "1 validation error detected: Value '"
                        + filter + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value "
                        + "set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]");
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        page(service.executions(required(body, "stateMachineArn"), status), body, answer, "executions",
                StepFunctionsEndpoint::summary);
        return answer;
    }

    private ObjectNode executionHistory(JsonNode body) {
        Execution execution = service.execution(required(body, "executionArn"));
        List<HistoryEvent> events = execution.history();
        if (body.path("reverseOrder").asBoolean(false)) {
            events = events.reversed();
        }
        boolean includeData = body.path("includeExecutionData").asBoolean(true);
        ObjectNode answer = JSON.createObjectNode();
        page(events, body, answer, "events", event -> {
            ObjectNode json = event.toJson();
            if (!includeData && event.detailsField() != null) {
                ((ObjectNode) json.get(event.detailsField())).remove(EXECUTION_DATA);
            }
            return json;
        });
        return answer;
    }

    // ---- wire helpers ----

    /** One page of {@code items} under {@code field}, with a {@code nextToken} when more follow. */
    private static <T> void page(List<T> items, JsonNode body, ObjectNode answer, String field,
            Function<T, ObjectNode> toJson) {
        int size = body.path("maxResults").asInt(0);
        if (size < 0 || size > MAX_PAGE) {
            throw new StepFunctionsException("ValidationException", "1 validation error detected: Value '" + size
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value between 0 and "
                    + MAX_PAGE);
        }
        size = size == 0 ? DEFAULT_PAGE : size;
        int from = 0;
        String token = optional(body, "nextToken");
        if (token != null) {
            try {
                from = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > items.size()) {
                throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + token + "'");
            }
        }
        ArrayNode page = answer.putArray(field);
        int to = Math.min(items.size(), from + size);
        items.subList(from, to).forEach(item -> page.add(toJson.apply(item)));
        if (to < items.size()) {
            answer.put("nextToken", Integer.toString(to));
        }
    }

    private static String required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new StepFunctionsException("ValidationException", "1 validation error detected: Value null at '"
                    + field + "' failed to satisfy constraint: Member must not be null");
        }
        return value.asText();
    }

    private static String optional(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static java.math.BigDecimal seconds(Instant instant) {
        return Json.epochSeconds(instant);
    }
}
