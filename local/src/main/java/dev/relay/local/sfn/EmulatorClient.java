package dev.relay.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.stepfunctions.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Calls an embedded emulator (ElasticMQ, DynamoDB Local) in its AWS JSON protocol. A Task's parameters are already
 * that protocol's request (PascalCase, as Step Functions takes them), so they are sent as they are and every
 * parameter the emulator knows works.
 */
final class EmulatorClient {

    private static final ObjectMapper JSON = Json.MAPPER;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final String targetPrefix;
    private final String signingName;
    private final String region;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param targetPrefix the {@code X-Amz-Target} prefix, e.g. {@code DynamoDB_20120810}
     * @param signingName  the service in the credential scope, e.g. {@code dynamodb}
     */
    EmulatorClient(URI endpoint, String targetPrefix, String signingName, String region) {
        this.endpoint = endpoint;
        this.targetPrefix = targetPrefix;
        this.signingName = signingName;
        this.region = region;
    }

    /** What the emulator answered: its JSON body, HTTP status and request id. */
    record Answer(int status, JsonNode body, String requestId) {
    }

    /** An error answer, with the error's short name (e.g. {@code ConditionalCheckFailedException}). */
    static final class ServiceError extends RuntimeException {
        private final String type;
        private final int status;
        private final String requestId;

        ServiceError(String type, String message, int status, String requestId) {
            super(message);
            this.type = type;
            this.status = status;
            this.requestId = requestId;
        }

        String type() {
            return type;
        }

        int status() {
            return status;
        }

        String requestId() {
            return requestId;
        }
    }

    /**
     * Calls {@code action} with {@code request} as the body.
     *
     * @throws ServiceError when the emulator answers with an error
     */
    Answer call(String action, ObjectNode request) {
        // Neither emulator verifies signatures; DynamoDB Local only requires a credential scope to be present.
        String scope = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "/" + region + "/"
                + signingName + "/aws4_request";
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("X-Amz-Target", targetPrefix + "." + action)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=relaylocal/" + scope
                        + ", SignedHeaders=content-type;host;x-amz-target, Signature=local")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted calling " + targetPrefix + "."
                    + action));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + endpoint + " for " + targetPrefix + "." + action, e);
        }
        String requestId = response.headers().firstValue("x-amzn-RequestId").orElseGet(() -> UUID.randomUUID()
                .toString());
        JsonNode body;
        try {
            body = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ServiceError("InternalFailure", "unreadable answer from " + endpoint + ": " + e.getMessage(),
                    response.statusCode(), requestId);
        }
        if (response.statusCode() >= 300) {
            String type = body.path("__type").asText("InternalFailure");
            String message = body.has("message") ? body.path("message").asText() : body.path("Message").asText("");
            throw new ServiceError(type.substring(type.lastIndexOf('#') + 1), message, response.statusCode(),
                    requestId);
        }
        return new Answer(response.statusCode(), body, requestId);
    }
}
