package dev.relay.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client for the offline model, as an OpenAI client would call it. */
final class OfflineClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI baseUrl;

    OfflineClient(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpResponse<String> chat(String body) {
        return send(request("/chat/completions").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> chat(JsonNode body) {
        return chat(body.toString());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-offline-test");
    }

    /** The content of the first choice of a 200 chat completion. */
    static String content(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200 but got " + response.statusCode() + ": " + response.body());
        }
        return json(response.body()).at("/choices/0/message/content").asText();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {"model": model, "messages": [{"role": "user", "content": userText}]}. */
    static ObjectNode userRequest(String model, String userText) {
        ObjectNode request = JSON.createObjectNode();
        request.put("model", model);
        request.putArray("messages").addObject().put("role", "user").put("content", userText);
        return request;
    }

    static ObjectNode schemaRequest(String userText, JsonNode schema) {
        ObjectNode request = userRequest("gpt-4o-mini", userText);
        ObjectNode format = request.putObject("response_format");
        format.put("type", "json_schema");
        ObjectNode jsonSchema = format.putObject("json_schema");
        jsonSchema.put("name", "answer");
        jsonSchema.set("schema", schema);
        jsonSchema.put("strict", true);
        return request;
    }
}
