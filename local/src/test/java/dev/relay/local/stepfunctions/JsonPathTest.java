package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonPathTest {
    private static final JsonNode DOC = json("""
            {"a":{"b":1,"c d":[10,20,30]},"items":[{"id":1,"price":5,"tag":{"x":"p"}},{"id":2,"price":15}],
             "x":{"x":{"x":3}}}""");

    @Test
    void definitePathsReadOneNode() {
        assertThat(JsonPath.parse("$").read(DOC)).isEqualTo(DOC);
        assertThat(JsonPath.parse("$.a.b").read(DOC)).isEqualTo(json("1"));
        assertThat(JsonPath.parse("$['a']['c d'][1]").read(DOC)).isEqualTo(json("20"));
        assertThat(JsonPath.parse("$.a['c d'][-1]").read(DOC)).isEqualTo(json("30"));
        assertThat(JsonPath.parse("$.a.missing").read(DOC).isMissingNode()).isTrue();
        assertThat(JsonPath.parse("$.a.b").isDefinite()).isTrue();
    }

    @Test
    void indefinitePathsReadArraysOfMatches() {
        assertThat(JsonPath.parse("$.items[*].id").read(DOC)).isEqualTo(json("[1,2]"));
        assertThat(JsonPath.parse("$..x").read(DOC)).isEqualTo(json("[{\"x\":{\"x\":3}},\"p\",{\"x\":3},3]"));
        assertThat(JsonPath.parse("$.a['c d'][0,2]").read(DOC)).isEqualTo(json("[10,30]"));
        assertThat(JsonPath.parse("$.a['c d'][1:]").read(DOC)).isEqualTo(json("[20,30]"));
        assertThat(JsonPath.parse("$.items[?(@.price > 10)].id").read(DOC)).isEqualTo(json("[2]"));
        assertThat(JsonPath.parse("$.items[?(@.tag)].id").read(DOC)).isEqualTo(json("[1]"));
        assertThat(JsonPath.parse("$.items[?(@.id == 1 || @.price >= 15)].id").read(DOC)).isEqualTo(json("[1,2]"));
        assertThat(JsonPath.parse("$.items[*].id").isDefinite()).isFalse();
    }

    @Test
    void writeCreatesMissingObjectsAndLeavesTheOriginalUntouched() {
        JsonNode input = json("{\"a\":1}");
        assertThat(JsonPath.parse("$.b.c").write(input, json("2"))).isEqualTo(json("{\"a\":1,\"b\":{\"c\":2}}"));
        assertThat(JsonPath.parse("$").write(input, json("2"))).isEqualTo(json("2"));
        assertThat(input).isEqualTo(json("{\"a\":1}"));
        assertThatThrownBy(() -> JsonPath.parse("$.a.b").write(input, json("2")))
                .isInstanceOf(JsonPath.PathException.class);
    }

    @Test
    void contextPathsAreMarked() {
        JsonPath path = JsonPath.parse("$$.Execution.Id");
        assertThat(path.isContext()).isTrue();
        assertThat(path.read(json("{\"Execution\":{\"Id\":\"e\"}}"))).isEqualTo(json("\"e\""));
    }

    @Test
    void malformedPathsAreRejected() {
        assertThatThrownBy(() -> JsonPath.parse("a.b")).hasMessageContaining("must start with '$'");
        assertThatThrownBy(() -> JsonPath.parse("$.a[")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> JsonPath.parse("$.")).hasMessageContaining("empty field");
        assertThatThrownBy(() -> JsonPath.parse("$[abc]")).hasMessageContaining("neither an index");
    }
}
