package dev.relay.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The parts of a chat completion request the offline model answers from, checked like OpenAI checks them. */
record ChatRequest(String model, ArrayNode messagesJson, List<Message> messages, ResponseFormat responseFormat,
                   JsonNode responseFormatJson, int n) {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** One message, with its content flattened to text (content parts other than text are skipped). */
    record Message(String role, String text) {
    }

    sealed interface ResponseFormat {
        record Text() implements ResponseFormat {
        }

        record JsonObject() implements ResponseFormat {
        }

        record JsonSchema(String name, JsonNode schema) implements ResponseFormat {
        }
    }

    static ChatRequest parse(JsonNode body) {
        if (!body.isObject()) {
            throw OpenAiError.invalidRequest(null, "The request body must be a JSON object.");
        }
        if (body.path("stream").asBoolean(false)) {
            throw OpenAiError.invalidRequest("stream", "streaming is not supported by the relay offline model");
        }
        JsonNode model = body.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            throw OpenAiError.invalidRequest("model", "you must provide a model parameter");
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalidRequest("messages", "'messages' must be a non-empty array of messages");
        }
        JsonNode format = body.get("response_format");
        return new ChatRequest(model.asText(), (ArrayNode) messages, parseMessages(messages), parseFormat(format),
                format == null ? NullNode.getInstance() : format, parseN(body.get("n")));
    }

    private static List<Message> parseMessages(JsonNode messages) {
        List<Message> parsed = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw OpenAiError.invalidRequest("messages[" + i + "]", "messages[" + i + "] must be an object");
            }
            JsonNode role = message.path("role");
            if (!role.isTextual() || !ROLES.contains(role.asText())) {
                throw OpenAiError.invalidRequest("messages[" + i + "].role",
                        "messages[" + i + "].role must be one of " + ROLES.stream().sorted().toList());
            }
            parsed.add(new Message(role.asText(), text(message.path("content"))));
        }
        return List.copyOf(parsed);
    }

    // Content is a string, or an array of parts of which only the text parts carry words.
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                text.append(text.isEmpty() ? "" : "\n").append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    private static ResponseFormat parseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return new ResponseFormat.Text();
        }
        String type = format.path("type").asText("");
        return switch (type) {
            case "text" -> new ResponseFormat.Text();
            case "json_object" -> new ResponseFormat.JsonObject();
            case "json_schema" -> {
                JsonNode jsonSchema = format.path("json_schema");
                if (!jsonSchema.isObject()) {
                    throw OpenAiError.invalidRequest("response_format.json_schema",
                            "response_format.json_schema must be an object with a name and a schema");
                }
                JsonNode name = jsonSchema.path("name");
                if (!name.isTextual() || name.asText().isBlank()) {
                    throw OpenAiError.invalidRequest("response_format.json_schema.name",
                            "response_format.json_schema.name is required");
                }
                JsonNode schema = jsonSchema.path("schema");
                if (!schema.isObject()) {
                    throw OpenAiError.invalidRequest(SchemaExample.PARAM,
                            "response_format.json_schema.schema must be a JSON Schema object");
                }
                yield new ResponseFormat.JsonSchema(name.asText(), schema);
            }
            default -> throw OpenAiError.invalidRequest("response_format.type",
                    "Invalid value for response_format.type: '" + type + "'. Supported values are: 'text', 'json_object' and 'json_schema'.");
        };
    }

    private static int parseN(JsonNode n) {
        if (n == null || n.isNull()) {
            return 1;
        }
        if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 128) {
            throw OpenAiError.invalidRequest("n", "n must be an integer from 1 to 128");
        }
        return n.asInt();
    }
}
