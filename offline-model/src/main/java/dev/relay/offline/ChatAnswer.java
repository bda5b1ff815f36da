package dev.relay.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.offline.ChatRequest.Message;
import dev.relay.offline.ChatRequest.ResponseFormat;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the {@code chat.completion} object for a valid request: the offline model's actual answer. */
final class ChatAnswer {

    static final String MODEL_PREFIX = "relay-offline/";
    private static final String TEXT_PREFIX = "[relay offline model] ";
    private static final int EXCERPT_CHARS = 80;

    private final Clock clock;

    ChatAnswer(Clock clock) {
        this.clock = clock;
    }

    ObjectNode answer(ChatRequest request) {
        Seed messagesSeed = Seed.of(Json.canonical(request.messagesJson()));
        Seed requestSeed = Seed.of(request.model(), Json.canonical(request.messagesJson()), Json.canonical(request.responseFormatJson()));
        String content = content(request, messagesSeed);

        ObjectNode completion = JsonNodeFactory.instance.objectNode();
        completion.put("id", "chatcmpl-offline-" + requestSeed.hex(24));
        completion.put("object", "chat.completion");
        completion.put("created", clock.instant().getEpochSecond());
        completion.put("model", MODEL_PREFIX + request.model());
        ArrayNode choices = completion.putArray("choices");
        for (int index = 0; index < request.n(); index++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", index);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
            message.putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", "stop");
        }
        int promptTokens = tokens(request.messages().stream().mapToInt(m -> m.text().length()).sum());
        int completionTokens = tokens(content.length()) * request.n();
        ObjectNode usage = completion.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        completion.put("system_fingerprint", "relay-offline");
        return completion;
    }

    private static String content(ChatRequest request, Seed seed) {
        return switch (request.responseFormat()) {
            case ResponseFormat.Text ignored -> plainText(request, seed);
            case ResponseFormat.JsonObject ignored -> {
                ObjectNode answer = JsonNodeFactory.instance.objectNode();
                answer.put("answer", plainText(request, seed));
                answer.put("offline", true);
                yield Json.text(answer);
            }
            case ResponseFormat.JsonSchema schema -> Json.text(
                    SchemaExample.generate(schema.schema(), schema.name(), seed, steering(request)));
        };
    }

    private static String plainText(ChatRequest request, Seed seed) {
        String lastUserText = request.messages().stream()
                .filter(m -> m.role().equals("user"))
                .reduce((first, second) -> second)
                .map(Message::text)
                .orElse("");
        String excerpt = lastUserText.strip().replaceAll("\\s+", " ");
        if (excerpt.length() > EXCERPT_CHARS) {
            excerpt = excerpt.substring(0, EXCERPT_CHARS) + "...";
        }
        return TEXT_PREFIX + "No language model was called. You said: \"" + excerpt + "\" (answer " + seed.hex(8) + ")";
    }

    // Only instructions and the user's words steer a choice, not earlier answers or tool output.
    private static PromptSteering steering(ChatRequest request) {
        return new PromptSteering(request.messages().stream()
                .filter(m -> Set.of("system", "developer", "user").contains(m.role()))
                .map(Message::text)
                .collect(Collectors.joining("\n")));
    }

    private static int tokens(int chars) {
        return (chars + 3) / 4;
    }
}
