package dev.relay.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import dev.relay.local.ssm.ParameterStore.Parameter;
import dev.relay.local.ssm.ParameterStore.ParameterException;
import java.io.IOException;
import java.util.Optional;

/**
 * SSM's JSON 1.1 protocol for the parameter actions functions and users need: {@code GetParameter},
 * {@code GetParameters}, {@code PutParameter}, {@code DeleteParameter}. Anything else is answered with a clear
 * {@code InvalidAction}.
 */
public final class SsmEndpoint implements Endpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final ParameterStore store;
    private final String region;
    private final String accountId;

    public SsmEndpoint(ParameterStore store, String region, String accountId) {
        this.store = store;
        this.region = region;
        this.accountId = accountId;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) {
        String action = request.header("x-amz-target").map(t -> t.substring(t.indexOf('.') + 1)).orElse("");
        JsonNode body;
        try {
            body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (IOException e) {
            return error(400, "SerializationException", "request body is not JSON: " + e.getMessage());
        }
        try {
            return switch (action) {
                case "GetParameter" -> ok(JSON.createObjectNode().set("Parameter",
                        describe(required(body, "Name"), decrypt(body))));
                case "GetParameters" -> getParameters(body);
                case "PutParameter" -> ok(JSON.createObjectNode()
                        .put("Version", store.put(required(body, "Name"), body.path("Type").asText("String"),
                                body.path("Value").asText(null), body.path("Overwrite").asBoolean(false)))
                        .put("Tier", "Standard"));
                case "DeleteParameter" -> {
                    String name = required(body, "Name");
                    if (!store.delete(name)) {
                        throw notFound(name);
                    }
                    yield ok(JSON.createObjectNode());
                }
                default -> error(400, "InvalidAction", "SSM action '" + action
                        + "' is not emulated locally (GetParameter, GetParameters, PutParameter, DeleteParameter are)");
            };
        } catch (ParameterException e) {
            return error(400, e.code(), e.getMessage());
        }
    }

    private EdgeResponse getParameters(JsonNode body) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode found = answer.putArray("Parameters");
        ArrayNode invalid = answer.putArray("InvalidParameters");
        if (!body.path("Names").isArray() || body.path("Names").isEmpty()) {
            throw new ParameterException("ValidationException", "GetParameters needs a non-empty Names list");
        }
        for (JsonNode name : body.path("Names")) {
            Optional<Parameter> parameter = store.get(name.asText());
            if (parameter.isPresent()) {
                found.add(describe(parameter.get(), decrypt(body)));
            } else {
                invalid.add(name.asText());
            }
        }
        return ok(answer);
    }

    private ObjectNode describe(String name, boolean decrypt) {
        return describe(store.get(name).orElseThrow(() -> notFound(name)), decrypt);
    }

    private ObjectNode describe(Parameter parameter, boolean decrypt) {
        boolean hidden = parameter.type().equals("SecureString") && !decrypt;
        String path = parameter.name().startsWith("/") ? parameter.name() : "/" + parameter.name();
        return JSON.createObjectNode()
                .put("Name", parameter.name())
                .put("Type", parameter.type())
                // Without decryption AWS returns the ciphertext; locally there is none, so say so plainly.
                .put("Value", hidden ? "(encrypted: ask WithDecryption=true)" : parameter.value())
                .put("Version", parameter.version())
                .put("LastModifiedDate", parameter.lastModified().toEpochMilli() / 1000.0)
                .put("ARN", "arn:aws:ssm:" + region + ":" + accountId + ":parameter" + path)
                .put("DataType", "text");
    }

    private static boolean decrypt(JsonNode body) {
        return body.path("WithDecryption").asBoolean(false);
    }

    private static String required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new ParameterException("ValidationException", "1 validation error detected: Value null at '"
                    + Character.toLowerCase(field.charAt(0)) + field.substring(1)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value.asText();
    }

    private static ParameterException notFound(String name) {
        return new ParameterException("ParameterNotFound", "Parameter " + name + " not found.");
    }

    private static EdgeResponse ok(ObjectNode body) {
        return EdgeResponse.of(200, CONTENT_TYPE, body.toString());
    }

    private static EdgeResponse error(int status, String type, String message) {
        return EdgeResponse.awsJsonError(status, type, message);
    }
}
