package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one Jackson configuration of local Step Functions (engine, integrations and API): numbers pass through as
 * written and duplicate keys are refused.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            // AWS rejects duplicate keys in a definition; Jackson would silently keep the last one.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // Numbers pass through states as written: 10.0 stays 10.0, not 1E+1.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {}

    static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Step Functions renders times as ISO-8601 UTC with milliseconds, e.g. 2019-03-26T20:14:13.192Z. */
    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** How the AWS JSON protocols carry a timestamp: epoch seconds with milliseconds, e.g. 1553631253.192. */
    public static java.math.BigDecimal epochSeconds(Instant instant) {
        return java.math.BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** JSON equality where 5, 5.0 and a long 5 are the same number, unlike Jackson's node equality. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        return a.equals(NUMBERS_BY_VALUE, b);
    }

    private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE = (x, y) -> {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue());
        }
        return x.equals(y) ? 0 : 1;
    };

    /** The smallest numeric node for an integral value, as Jackson's parser would produce. */
    static JsonNode integer(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    static String describe(JsonNode node) {
        return node == null || node.isMissingNode() ? "<missing>" : write(node);
    }
}
