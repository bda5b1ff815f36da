package dev.relay.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.lambda.FunctionSpec;
import dev.relay.local.lambda.InvocationResult;
import dev.relay.local.lambda.LambdaService;
import dev.relay.local.lambda.LoggedInvocation;
import dev.relay.local.lambda.UnknownFunctionException;
import dev.relay.local.sns.MessageAttribute;
import dev.relay.local.sns.Publication;
import dev.relay.local.sns.Published;
import dev.relay.local.sns.SnsException;
import dev.relay.local.sns.SnsService;
import dev.relay.local.stepfunctions.StateMachineDefinition.TaskDeclaration;
import dev.relay.local.stepfunctions.TaskFailure;
import dev.relay.local.stepfunctions.TaskInvoker;
import dev.relay.local.stepfunctions.TaskRequest;
import dev.relay.local.stepfunctions.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Task resources the local cloud runs, with the request and result shapes of Step Functions' optimized
 * integrations: Lambda function ARNs (the result is the function's payload), {@code arn:aws:states:::lambda:invoke},
 * {@code sns:publish}, {@code sqs:sendMessage}, {@code dynamodb:putItem/getItem/updateItem/deleteItem}, and the
 * {@code .waitForTaskToken} forms of the first three. Services report errors as Step Functions names them: a
 * function's {@code errorType} (its error object as the cause), {@code Lambda.ResourceNotFoundException},
 * {@code SNS.NotFoundException}, {@code SQS.QueueDoesNotExistException},
 * {@code DynamoDB.ConditionalCheckFailedException}.
 *
 * @see <a href="https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html">optimized
 *     integrations</a>
 */
public final class ServiceIntegrations implements TaskInvoker {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String STATES = "arn:aws:states:::";
    private static final String CALLBACK = ".waitForTaskToken";
    private static final Set<String> REQUEST_RESPONSE = Set.of("lambda:invoke", "sns:publish", "sqs:sendMessage",
            "dynamodb:putItem", "dynamodb:getItem", "dynamodb:updateItem", "dynamodb:deleteItem");
    private static final Set<String> CALLBACKS = Set.of("lambda:invoke", "sns:publish", "sqs:sendMessage");
    private static final String SUPPORTED = "Lambda function ARNs, arn:aws:states:::lambda:invoke, sns:publish, "
            + "sqs:sendMessage, dynamodb:putItem/getItem/updateItem/deleteItem, and lambda:invoke, sns:publish, "
            + "sqs:sendMessage with .waitForTaskToken";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final LambdaService lambda;
    private final SnsService sns;
    private final EmulatorClient sqs;
    private final EmulatorClient dynamoDb;

    /**
     * @param sqsEndpoint      the embedded ElasticMQ
     * @param dynamoDbEndpoint the embedded DynamoDB Local
     */
    public ServiceIntegrations(LambdaService lambda, SnsService sns, URI sqsEndpoint, URI dynamoDbEndpoint,
            String region) {
        this.lambda = lambda;
        this.sns = sns;
        this.sqs = new EmulatorClient(sqsEndpoint, "AmazonSQS", "sqs", region);
        this.dynamoDb = new EmulatorClient(dynamoDbEndpoint, "DynamoDB_20120810", "dynamodb", region);
    }

    /** {@code arn:aws:states:::<service>:<action>[.waitForTaskToken]}; {@code null} for anything else. */
    private record Integration(String service, String action, boolean callback) {
        static Integration of(String resource) {
            if (!resource.startsWith(STATES)) {
                return null;
            }
            String rest = resource.substring(STATES.length());
            boolean callback = rest.endsWith(CALLBACK);
            String name = callback ? rest.substring(0, rest.length() - CALLBACK.length()) : rest;
            int colon = name.indexOf(':');
            return colon < 0 ? null : new Integration(name.substring(0, colon), name.substring(colon + 1), callback);
        }

        String api() {
            return service + ":" + action;
        }

        boolean supported() {
            return callback ? CALLBACKS.contains(api()) : REQUEST_RESPONSE.contains(api());
        }
    }

    @Override
    public List<String> check(TaskDeclaration task) {
        String resource = task.resource();
        if (resource.startsWith("arn:aws:lambda:")) {
            return lambda.function(resource).isPresent() ? List.of()
                    : List.of("Resource: Lambda function '" + resource + "' does not exist in the local cloud "
                            + functionNames());
        }
        Integration integration = Integration.of(resource);
        if (integration == null || !integration.supported()) {
            return List.of("Resource: '" + resource + "' is not a service integration the local cloud runs; it runs "
                    + SUPPORTED);
        }
        JsonNode parameters = task.parameters();
        if (parameters == null) {
            return List.of(); // the state's input is the request: nothing to check before it runs
        }
        List<String> problems = new ArrayList<>();
        switch (integration.api()) {
            case "lambda:invoke" -> {
                require(parameters, "FunctionName", resource, problems);
                JsonNode name = parameters.get("FunctionName");
                if (name != null && name.isTextual() && lambda.function(name.asText()).isEmpty()) {
                    problems.add("Parameters.FunctionName: function '" + name.asText() + "' does not exist in the "
                            + "local cloud " + functionNames());
                }
            }
            case "sns:publish" -> {
                if (parameters.has("PhoneNumber") || parameters.has("PhoneNumber.$")) {
                    problems.add("Parameters.PhoneNumber: SMS is not emulated by the local cloud; publish to a "
                            + "TopicArn");
                } else if (!has(parameters, "TopicArn") && !has(parameters, "TargetArn")) {
                    problems.add("Parameters.TopicArn: required by " + resource);
                }
                require(parameters, "Message", resource, problems);
            }
            case "sqs:sendMessage" -> {
                require(parameters, "QueueUrl", resource, problems);
                require(parameters, "MessageBody", resource, problems);
            }
            default -> require(parameters, "TableName", resource, problems);
        }
        return problems;
    }

    @Override
    public JsonNode invoke(TaskRequest request) {
        String resource = request.resource();
        JsonNode parameters = request.parameters();
        if (resource.startsWith("arn:aws:lambda:")) {
            return payload(succeeded(invokeFunction(resource, Json.write(parameters), null).result()));
        }
        Integration integration = Integration.of(resource);
        if (integration == null || !integration.supported()) {
            throw new TaskFailure("States.Runtime", "'" + resource + "' is not a service integration the local cloud "
                    + "runs; it runs " + SUPPORTED);
        }
        if (!parameters.isObject()) {
            throw new TaskFailure("States.Runtime", "the parameters of " + resource + " must be a JSON object, got "
                    + parameters);
        }
        return switch (integration.api()) {
            case "lambda:invoke" -> lambdaInvoke((ObjectNode) parameters);
            case "sns:publish" -> snsPublish((ObjectNode) parameters);
            case "sqs:sendMessage" -> sqsSendMessage((ObjectNode) parameters);
            default -> dynamoDb(integration.action(), (ObjectNode) parameters);
        };
    }

    // ---- Lambda ----

    private JsonNode lambdaInvoke(ObjectNode parameters) {
        String function = parameters.path("FunctionName").asText("");
        if (function.isEmpty()) {
            throw new TaskFailure("Lambda.InvalidParameterValueException", "FunctionName is required by "
                    + STATES + "lambda:invoke");
        }
        String qualifier = parameters.path("Qualifier").asText(null);
        if (qualifier != null && !qualifier.equals("$LATEST")) {
            throw notFound(function + ":" + qualifier, "the local cloud runs $LATEST only");
        }
        String payload = parameters.has("Payload") ? Json.write(parameters.get("Payload")) : "{}";
        String type = parameters.path("InvocationType").asText("RequestResponse");
        ObjectNode result = JSON.createObjectNode();
        switch (type) {
            case "Event" -> {
                String requestId;
                try {
                    requestId = lambda.invokeAsync(functionName(function), payload.getBytes(StandardCharsets.UTF_8));
                } catch (UnknownFunctionException e) {
                    throw notFound(function, null);
                }
                result.put("Payload", "");
                sdkMetadata(result, requestId, 202, Map.of());
                result.put("StatusCode", 202);
            }
            case "DryRun" -> {
                functionName(function);
                result.put("Payload", "");
                sdkMetadata(result, UUID.randomUUID().toString(), 204, Map.of());
                result.put("StatusCode", 204);
            }
            case "RequestResponse" -> {
                LoggedInvocation invocation = invokeFunction(function, payload, clientContext(parameters));
                InvocationResult answer = succeeded(invocation.result());
                result.put("ExecutedVersion", "$LATEST");
                if (parameters.path("LogType").asText("None").equals("Tail")) {
                    result.put("LogResult", Base64.getEncoder().encodeToString(invocation.logTail()));
                }
                result.set("Payload", payload(answer));
                sdkMetadata(result, answer.requestId(), 200, Map.of("X-Amz-Executed-Version", "$LATEST",
                        "Content-Type", "application/json"));
                result.put("StatusCode", 200);
            }
            default -> throw new TaskFailure("Lambda.InvalidParameterValueException", "InvocationType must be "
                    + "RequestResponse, Event or DryRun, got '" + type + "'");
        }
        return result;
    }

    private LoggedInvocation invokeFunction(String function, String payload, String clientContext) {
        try {
            return lambda.invokeLogged(functionName(function), payload.getBytes(StandardCharsets.UTF_8),
                    clientContext);
        } catch (UnknownFunctionException e) {
            throw notFound(function, null);
        }
    }

    private String functionName(String nameOrArn) {
        return lambda.function(nameOrArn).map(FunctionSpec::name).orElseThrow(() -> notFound(nameOrArn, null));
    }

    /** A function error fails the task with the function's errorType, and its error object as the cause. */
    private static InvocationResult succeeded(InvocationResult result) {
        if (result.succeeded()) {
            return result;
        }
        String errorType;
        try {
            errorType = JSON.readTree(result.payload()).path("errorType").asText("");
        } catch (IOException e) {
            errorType = "";
        }
        throw new TaskFailure(errorType.isEmpty() ? "Lambda.Unknown" : errorType, result.payloadText());
    }

    /** The function's answer as JSON (Step Functions parses the payload), or as a string when it is not JSON. */
    private static JsonNode payload(InvocationResult result) {
        if (result.payload().length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(result.payload());
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(result.payloadText());
        }
    }

    private static String clientContext(JsonNode parameters) {
        String encoded = parameters.path("ClientContext").asText(null);
        if (encoded == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TaskFailure("Lambda.InvalidRequestContentException", "ClientContext must be a base64-encoded "
                    + "JSON object");
        }
    }

    private TaskFailure notFound(String function, String detail) {
        return new TaskFailure("Lambda.ResourceNotFoundException", "Function not found: " + lambda.arnOf(function)
                + (detail == null ? "" : " (" + detail + ")") + " " + functionNames()
                + awsDetails("AWSLambda", 404, "ResourceNotFoundException", UUID.randomUUID().toString()));
    }

    private String functionNames() {
        return "(functions: " + lambda.functions().stream().map(FunctionSpec::name).sorted().toList() + ")";
    }

    // ---- SNS ----

    private JsonNode snsPublish(ObjectNode parameters) {
        String topicArn = parameters.has("TopicArn") ? parameters.path("TopicArn").asText()
                : parameters.path("TargetArn").asText(null);
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> attribute : parameters.path("MessageAttributes").properties()) {
            JsonNode value = attribute.getValue();
            String text = value.has("BinaryValue") ? value.path("BinaryValue").asText()
                    : value.path("StringValue").asText(null);
            if (text == null || !value.hasNonNull("DataType")) {
                throw new TaskFailure("SNS.InvalidParameterException", "MessageAttributes." + attribute.getKey()
                        + " needs a DataType and a StringValue or BinaryValue");
            }
            attributes.put(attribute.getKey(), new MessageAttribute(value.path("DataType").asText(), text));
        }
        Publication publication = new Publication(text(parameters.get("Message")),
                parameters.path("Subject").asText(null), parameters.path("MessageStructure").asText(null), attributes,
                parameters.path("MessageGroupId").asText(null), parameters.path("MessageDeduplicationId").asText(null));
        Published published;
        String requestId = UUID.randomUUID().toString();
        try {
            if (topicArn == null) {
                throw new TaskFailure("SNS.InvalidParameterException", "TopicArn is required by " + STATES
                        + "sns:publish");
            }
            published = sns.publish(topicArn, publication);
        } catch (SnsException e) {
            String exception = switch (e.error()) {
                case NOT_FOUND -> "NotFoundException";
                case INVALID_PARAMETER -> "InvalidParameterException";
                case PARAMETER_VALUE_INVALID -> "InvalidParameterValueException";
                default -> "AmazonSNSException";
            };
            throw new TaskFailure("SNS." + exception, e.getMessage()
                    + awsDetails("AmazonSNS", e.error().httpStatus(), e.error().code(), requestId));
        }
        ObjectNode result = JSON.createObjectNode().put("MessageId", published.messageId());
        if (published.sequenceNumber() != null) {
            result.put("SequenceNumber", published.sequenceNumber());
        }
        sdkMetadata(result, requestId, 200, Map.of("Content-Type", "text/xml"));
        return result;
    }

    // ---- SQS and DynamoDB: the emulators' own JSON protocols ----

    private JsonNode sqsSendMessage(ObjectNode parameters) {
        ObjectNode request = parameters.deepCopy();
        if (request.has("MessageBody")) {
            // Step Functions sends a JSON MessageBody as its serialised text.
            request.put("MessageBody", text(request.get("MessageBody")));
        }
        return call(sqs, "SQS", "AmazonSQS", "SendMessage", request);
    }

    private JsonNode dynamoDb(String action, ObjectNode parameters) {
        String operation = Character.toUpperCase(action.charAt(0)) + action.substring(1);
        return call(dynamoDb, "DynamoDB", "AmazonDynamoDBv2", operation, parameters.deepCopy());
    }

    private static JsonNode call(EmulatorClient client, String errorPrefix, String serviceName, String action,
            ObjectNode request) {
        try {
            EmulatorClient.Answer answer = client.call(action, request);
            ObjectNode result = answer.body().isObject() ? (ObjectNode) answer.body().deepCopy()
                    : JSON.createObjectNode();
            sdkMetadata(result, answer.requestId(), answer.status(), Map.of("Content-Type",
                    "application/x-amz-json-1.0"));
            return result;
        } catch (EmulatorClient.ServiceError e) {
            String exception = e.type().endsWith("Exception") ? e.type() : e.type() + "Exception";
            throw new TaskFailure(errorPrefix + "." + exception, e.getMessage()
                    + awsDetails(serviceName, e.status(), e.type(), e.requestId()));
        }
    }

    // ---- shapes shared by every integration ----

    /** The SDK response metadata Step Functions adds to an integration's result. */
    private static void sdkMetadata(ObjectNode result, String requestId, int status, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Date", ZonedDateTime.now(ZoneOffset.UTC).format(HTTP_DATE));
        all.put("x-amzn-RequestId", requestId);
        ObjectNode http = result.putObject("SdkHttpMetadata");
        ObjectNode allHeaders = http.putObject("AllHttpHeaders");
        ObjectNode httpHeaders = http.putObject("HttpHeaders");
        all.forEach((name, value) -> {
            allHeaders.putArray(name).add(value);
            httpHeaders.put(name, value);
        });
        http.put("HttpStatusCode", status);
        result.putObject("SdkResponseMetadata").put("RequestId", requestId);
    }

    /** The tail AWS SDK exceptions put on their message, which Step Functions shows as the cause. */
    private static String awsDetails(String service, int status, String code, String requestId) {
        return " (Service: " + service + "; Status Code: " + status + "; Error Code: " + code + "; Request ID: "
                + requestId + "; Proxy: null)";
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isTextual() ? value.asText() : Json.write(value);
    }

    private static boolean has(JsonNode parameters, String field) {
        return parameters.has(field) || parameters.has(field + ".$");
    }

    private static void require(JsonNode parameters, String field, String resource, List<String> problems) {
        if (!has(parameters, field)) {
            problems.add("Parameters." + field + ": required by " + resource);
        }
    }
}
