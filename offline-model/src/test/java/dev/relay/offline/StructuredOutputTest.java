package dev.relay.offline;

import static dev.relay.offline.OfflineClient.content;
import static dev.relay.offline.OfflineClient.json;
import static dev.relay.offline.OfflineClient.schemaRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredOutputTest {

    /** A triage answer using most of what strict structured outputs allow. */
    private static final JsonNode TRIAGE = json("""
            {
              "type": "object",
              "properties": {
                "verdict": {"type": "string", "enum": ["pass", "fail", "needs-review"], "description": "the decision"},
                "urgent": {"type": "boolean"},
                "score": {"type": "integer", "minimum": 1, "maximum": 10},
                "confidence": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "summary": {"type": "string", "minLength": 20, "maxLength": 60},
                "code": {"type": "string", "maxLength": 4},
                "owner": {"type": ["string", "null"]},
                "reportedAt": {"type": "string", "format": "date-time"},
                "due": {"type": "string", "format": "date"},
                "contact": {"type": "string", "format": "email"},
                "ticket": {"type": "string", "format": "uuid"},
                "link": {"type": "string", "format": "uri"},
                "kind": {"const": "triage"},
                "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 3},
                "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
                "location": {"$ref": "#/definitions/location"},
                "next": {"anyOf": [{"$ref": "#/$defs/step"}, {"type": "null"}]},
                "meta": {"allOf": [
                  {"type": "object", "properties": {"source": {"type": "string"}}, "required": ["source"]},
                  {"properties": {"retries": {"type": "integer", "minimum": 0, "maximum": 3}}, "required": ["retries"]}
                ]}
              },
              "required": ["verdict", "urgent", "score", "confidence", "summary", "code", "owner", "reportedAt", "due",
                           "contact", "ticket", "link", "kind", "tags", "findings", "location", "next", "meta"],
              "additionalProperties": false,
              "$defs": {
                "finding": {
                  "type": "object",
                  "properties": {
                    "severity": {"type": "string", "enum": ["low", "medium", "high"]},
                    "line": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 5000},
                    "fixed": {"type": "boolean"}
                  },
                  "required": ["severity", "line", "fixed"],
                  "additionalProperties": false
                },
                "step": {"type": "object", "properties": {"action": {"type": "string"}}, "required": ["action"], "additionalProperties": false}
              },
              "definitions": {
                "location": {"type": "object", "properties": {"file": {"type": "string"}, "column": {"type": "integer"}},
                             "required": ["file", "column"], "additionalProperties": false}
              }
            }
            """);

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

    private static JsonNode answer(String prompt, JsonNode schema) {
        return json(content(client.chat(schemaRequest(prompt, schema))));
    }

    @Test
    void answerValidatesAgainstAStrictSchemaWithEveryPropertyPresent() {
        JsonNode answer = answer("Triage this build failure.", TRIAGE);

        assertThat(SchemaCheck.errors(TRIAGE, answer)).isEmpty();
        assertThat(answer.properties()).hasSize(TRIAGE.get("properties").size());
        assertThat(answer.get("score").asInt()).isEqualTo(5);
        assertThat(answer.get("confidence").asDouble()).isEqualTo(0.5);
        assertThat(answer.get("summary").asText()).hasSizeBetween(20, 60).startsWith("offline summary");
        assertThat(answer.get("owner").isTextual()).isTrue();
        assertThat(answer.get("tags")).hasSize(2);
        assertThat(answer.get("tags").get(0)).isNotEqualTo(answer.get("tags").get(1));
        assertThat(answer.get("findings")).hasSize(1);
        assertThat(answer.at("/meta/source").isTextual()).isTrue();
        assertThat(answer.at("/meta/retries").isIntegralNumber()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"first prompt", "second prompt", "third prompt", "a fourth", "and a fifth"})
    void everyPromptGetsAValidAnswer(String prompt) {
        assertThat(SchemaCheck.errors(TRIAGE, answer(prompt, TRIAGE))).isEmpty();
    }

    @Test
    void sameSchemaRequestGetsTheSameAnswer() {
        assertThat(answer("Same input", TRIAGE)).isEqualTo(answer("Same input", TRIAGE));
    }

    @Test
    void enumValueNamedInThePromptIsChosen() {
        assertThat(answer("Reviewed the diff. verdict: fail", TRIAGE).get("verdict").asText()).isEqualTo("fail");
        assertThat(answer("Reviewed the diff. VERDICT=Pass", TRIAGE).get("verdict").asText()).isEqualTo("pass");
        assertThat(answer("{\"verdict\": \"needs-review\"}", TRIAGE).get("verdict").asText()).isEqualTo("needs-review");
    }

    @Test
    void enumValueNamedInTheSystemMessageIsChosenForEveryArrayItem() {
        ObjectNode request = schemaRequest("Look at the findings.", TRIAGE);
        request.withArray("messages").insertObject(0).put("role", "system").put("content", "Always answer severity: high");

        JsonNode answer = json(content(client.chat(request)));

        assertThat(answer.at("/findings/0/severity").asText()).isEqualTo("high");
    }

    @Test
    void enumMarkerMustNameTheWholeValue() {
        JsonNode schema = json("""
                {"type": "object", "properties": {"state": {"enum": ["open", "opened"]}}, "required": ["state"]}""");

        assertThat(answer("state: opened", schema).get("state").asText()).isEqualTo("opened");
    }

    @Test
    void withoutAMarkerEnumChoicesVaryWithTheMessages() {
        JsonNode schema = json("""
                {"type": "object", "properties": {"verdict": {"enum": ["pass", "fail", "needs-review"]}}, "required": ["verdict"]}""");

        Set<String> verdicts = new HashSet<>();
        IntStream.range(0, 30).forEach(i -> verdicts.add(answer("case " + i + ", the verdict is yours", schema).get("verdict").asText()));

        assertThat(verdicts).containsExactlyInAnyOrder("pass", "fail", "needs-review");
    }

    @Test
    void booleanNamedInThePromptIsChosen() {
        assertThat(answer("\"urgent\": true", TRIAGE).get("urgent").asBoolean()).isTrue();
        assertThat(answer("urgent: false", TRIAGE).get("urgent").asBoolean()).isFalse();
    }

    @Test
    void recursiveSchemaEndsWithEmptyChildren() {
        JsonNode tree = json("""
                {"$ref": "#/$defs/node", "$defs": {"node": {"type": "object",
                  "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
                  "required": ["name", "children"], "additionalProperties": false}}}""");

        JsonNode answer = answer("a tree", tree);

        assertThat(SchemaCheck.errors(tree, answer)).isEmpty();
        assertThat(answer.at("/children/0/name").isTextual()).isTrue();
    }

    @Test
    void optionalSelfReferenceIsLeftOutOnceItRecurses() {
        JsonNode person = json("""
                {"type": "object", "properties": {"name": {"type": "string"}, "manager": {"$ref": "#"}}, "required": ["name"]}""");

        JsonNode answer = answer("org chart", person);

        assertThat(SchemaCheck.errors(person, answer)).isEmpty();
        assertThat(answer.at("/manager/name").isTextual()).isTrue();
    }

    @Test
    void uniqueEnumItemsDiffer() {
        JsonNode schema = json("""
                {"type": "array", "items": {"enum": ["a", "b", "c"]}, "minItems": 3, "uniqueItems": true}""");

        assertThat(answer("pick three", schema)).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void topLevelArrayAndScalarSchemasAreAnswered() {
        assertThat(answer("list", json("{\"type\": \"array\", \"items\": {\"type\": \"integer\", \"multipleOf\": 7, \"minimum\": 10}}")))
                .hasSize(1).first().satisfies(n -> assertThat(n.asInt() % 7).isZero());
        assertThat(answer("pattern", json("{\"type\": \"string\", \"pattern\": \"^[a-z]+$\"}")).asText()).matches("^[a-z]+$");
    }

    @Test
    void unsatisfiableSchemaIsA400NamingTheSchemaAndThePath() {
        JsonNode schema = json("""
                {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object",
                  "properties": {"n": {"type": "integer", "minimum": 3, "maximum": 2}}}}}}""");

        HttpResponse<String> response = client.chat(schemaRequest("x", schema));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("response_format.json_schema.schema");
        assertThat(error.get("message").asText()).contains("/items/0/n");
    }

    @Test
    void unsupportedKeywordIsA400() {
        HttpResponse<String> response = client.chat(schemaRequest("x", json("{\"not\": {\"type\": \"string\"}}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText()).contains("'not'");
    }

    @Test
    void danglingRefIsA400() {
        HttpResponse<String> response = client.chat(schemaRequest("x", json("{\"$ref\": \"#/$defs/missing\"}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).at("/error/message").asText()).contains("#/$defs/missing");
    }
}
