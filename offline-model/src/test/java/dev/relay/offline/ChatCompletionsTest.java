package dev.relay.offline;

import static dev.relay.offline.OfflineClient.content;
import static dev.relay.offline.OfflineClient.json;
import static dev.relay.offline.OfflineClient.userRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChatCompletionsTest {

    private static OfflineModelServer server;
    private static OfflineClient client;

    @BeforeAll
    static void start() {
        server = OfflineModelServer.start(0);
        client = new OfflineClient(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void baseUrlIsTheLoopbackV1Root() {
        assertThat(server.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/v1");
        assertThat(server.port()).isPositive();
    }

    @Test
    void plainCompletionHasTheOpenAiShapeAndSaysItIsOffline() {
        HttpResponse<String> response = client.chat(userRequest("gpt-4o-mini", "Summarise the incident in one line."));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode completion = json(response.body());
        assertThat(completion.get("id").asText()).startsWith("chatcmpl-offline-");
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("created").asLong()).isPositive();
        assertThat(completion.get("model").asText()).isEqualTo("relay-offline/gpt-4o-mini");
        assertThat(completion.get("system_fingerprint").asText()).isEqualTo("relay-offline");
        JsonNode choice = completion.at("/choices/0");
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.has("logprobs") && choice.get("logprobs").isNull()).isTrue();
        assertThat(choice.at("/message/role").asText()).isEqualTo("assistant");
        assertThat(choice.at("/message/refusal").isNull()).isTrue();
        assertThat(choice.at("/message/content").asText())
                .startsWith("[relay offline model] ")
                .contains("Summarise the incident in one line.");
        JsonNode usage = completion.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(9); // 34 chars / 4, rounded up
        assertThat(usage.get("completion_tokens").asInt()).isPositive();
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    }

    @Test
    void plainTextQuotesOnlyTheStartOfALongUserMessage() {
        String content = content(client.chat(userRequest("gpt-4o-mini", "x".repeat(79) + "END" + "y".repeat(500))));

        assertThat(content).contains("x".repeat(79) + "E").doesNotContain("END").doesNotContain("yyy");
    }

    @Test
    void sameRequestGetsTheSameAnswer() {
        JsonNode first = json(client.chat(userRequest("gpt-4o-mini", "Is the build green?")).body());
        JsonNode second = json(client.chat(userRequest("gpt-4o-mini", "Is the build green?")).body());

        assertThat(second.get("id")).isEqualTo(first.get("id"));
        assertThat(second.get("choices")).isEqualTo(first.get("choices"));
    }

    @Test
    void keyOrderAndUnrelatedParametersDoNotChangeTheAnswer() {
        String reordered = """
                {"messages":[{"content":"Is the build green?","role":"user"}],"temperature":0.7,"model":"gpt-4o-mini"}""";

        JsonNode first = json(client.chat(userRequest("gpt-4o-mini", "Is the build green?")).body());
        JsonNode second = json(client.chat(reordered).body());

        assertThat(second.get("id")).isEqualTo(first.get("id"));
        assertThat(second.get("choices")).isEqualTo(first.get("choices"));
    }

    @Test
    void differentMessagesGetDifferentAnswers() {
        assertThat(content(client.chat(userRequest("gpt-4o-mini", "first question"))))
                .isNotEqualTo(content(client.chat(userRequest("gpt-4o-mini", "second question"))));
    }

    @Test
    void contentPartsAreReadAsText() {
        String request = """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":[{"type":"text","text":"parts work"}]}]}""";

        assertThat(content(client.chat(request))).contains("parts work");
    }

    @Test
    void pathWithoutV1PrefixIsAlsoServed() {
        HttpRequest request = HttpRequest.newBuilder(server.baseUrl().resolve("/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(userRequest("m", "hi").toString())).build();

        assertThat(client.send(request).statusCode()).isEqualTo(200);
    }

    @Test
    void jsonObjectFormatAnswersWithAJsonObject() {
        ObjectNode request = userRequest("gpt-4o-mini", "Reply in JSON");
        request.putObject("response_format").put("type", "json_object");

        JsonNode answer = json(content(client.chat(request)));

        assertThat(answer.isObject()).isTrue();
        assertThat(answer.get("answer").asText()).startsWith("[relay offline model]");
    }

    @Test
    void textFormatIsThePlainAnswer() {
        ObjectNode request = userRequest("gpt-4o-mini", "Plain please");
        request.putObject("response_format").put("type", "text");

        assertThat(content(client.chat(request))).isEqualTo(content(client.chat(userRequest("gpt-4o-mini", "Plain please"))));
    }

    @Test
    void modelsAreListedAndLookedUp() {
        JsonNode list = json(client.send(client.request("/models").GET().build()).body());
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).isNotEmpty();
        assertThat(list.at("/data/0/object").asText()).isEqualTo("model");

        HttpResponse<String> one = client.send(client.request("/models/gpt-4o-mini").GET().build());
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one.body()).get("id").asText()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void unknownPathIsA404WithAnOpenAiError() {
        HttpResponse<String> response = client.send(client.request("/embeddings").POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void wrongMethodIsA405() {
        HttpResponse<String> response = client.send(client.request("/chat/completions").GET().build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(response.body()).at("/error/message").asText()).isNotBlank();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("{\"model\": \"m\", \"messages\": [", null),
                Arguments.of("", null),
                Arguments.of("[1, 2]", null),
                Arguments.of("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model"),
                Arguments.of("{\"model\": \"\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model"),
                Arguments.of("{\"model\": \"m\"}", "messages"),
                Arguments.of("{\"model\": \"m\", \"messages\": []}", "messages"),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"content\": \"b\"}]}", "messages[1].role"),
                Arguments.of("{\"model\": \"m\", \"messages\": [{\"role\": \"wizard\", \"content\": \"a\"}]}", "messages[0].role"),
                Arguments.of("{\"model\": \"m\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}", "stream"),
                Arguments.of("{\"model\": \"m\", \"response_format\": {\"type\": \"xml\"}, \"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}", "response_format.type"),
                Arguments.of("{\"model\": \"m\", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\", \"schema\": {\"type\": \"integer\", \"minimum\": 5, \"maximum\": 4}}}, \"messages\": [{\"role\": \"user\", \"content\": \"a\"}]}",
                        "response_format.json_schema.schema"));
    }

    @ParameterizedTest(name = "[{index}] param {1}: {0}")
    @MethodSource("badRequests")
    void badRequestIsA400NamingTheOffendingParameter(String body, String param) {
        HttpResponse<String> response = client.chat(body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        if (param == null) {
            assertThat(error.get("param").isNull()).isTrue();
        } else {
            assertThat(error.get("param").asText()).isEqualTo(param);
        }
    }

    @Test
    void invalidJsonErrorSaysWhereParsingFailed() {
        String message = json(client.chat("{\"model\": \"m\",\n \"messages\": [}").body()).at("/error/message").asText();

        assertThat(message).contains("line 2");
    }

    @Test
    void streamingIsRefusedWithTheDocumentedError() {
        ObjectNode request = userRequest("gpt-4o-mini", "stream it");
        request.put("stream", true);

        JsonNode error = json(client.chat(request).body()).get("error");

        assertThat(error.get("message").asText()).isEqualTo("streaming is not supported by the relay offline model");
        assertThat(error.get("param").asText()).isEqualTo("stream");
        assertThat(error.get("code").isNull()).isTrue();
    }
}
