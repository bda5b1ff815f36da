package dev.relay.local.sns;

import dev.relay.local.edge.EdgeRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of an AWS query request: the form body ({@code application/x-www-form-urlencoded}) and the URL's
 * query string, percent-decoded strictly as UTF-8. Knows the query protocol's shapes for maps
 * ({@code Name.entry.N.key}), lists ({@code Name.member.N}) and message attributes.
 */
final class QueryParameters {

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    static QueryParameters of(EdgeRequest request) {
        Map<String, String> values = new LinkedHashMap<>();
        decodeInto(request.rawQuery().getBytes(StandardCharsets.ISO_8859_1), values);
        if (request.body().length > 0) {
            String contentType = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (!contentType.startsWith("application/x-www-form-urlencoded")) {
                throw new SnsException(SnsError.MALFORMED_QUERY_STRING, "SNS takes a form body "
                        + "(application/x-www-form-urlencoded), not \"" + contentType + "\"");
            }
            decodeInto(request.body(), values);
        }
        return new QueryParameters(values);
    }

    /** The parameter, or null when absent. */
    String get(String name) {
        return values.get(name);
    }

    /** A required parameter: absent is a ValidationError naming it. */
    String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw SnsException.missing(Character.toLowerCase(name.charAt(0)) + name.substring(1));
        }
        return value;
    }

    /** The parameters under {@code prefix.}, with the prefix removed: one list member or map entry. */
    QueryParameters under(String prefix) {
        Map<String, String> scoped = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix + ".")) {
                scoped.put(name.substring(prefix.length() + 1), value);
            }
        });
        return new QueryParameters(scoped);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code name.member.1}, {@code name.member.2}, ... as parameter groups, until one is missing. */
    List<QueryParameters> members(String name) {
        List<QueryParameters> members = new ArrayList<>();
        for (int n = 1; ; n++) {
            QueryParameters member = under(name + ".member." + n);
            if (member.isEmpty()) {
                return members;
            }
            members.add(member);
        }
    }

    /** A string map: {@code name.entry.N.key} / {@code .value}. */
    Map<String, String> map(String name) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int n = 1; ; n++) {
            QueryParameters entry = under(name + ".entry." + n);
            if (entry.isEmpty()) {
                return map;
            }
            String key = entry.get("key");
            if (key == null) {
                throw SnsException.invalidParameter(name, "entry " + n + " has no key");
            }
            map.put(key, entry.get("value") == null ? "" : entry.get("value"));
        }
    }

    /** Tags: {@code Tags.member.N.Key} / {@code .Value}. */
    Map<String, String> tags(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryParameters tag : members(name)) {
            String key = tag.get("Key");
            if (key == null || key.isEmpty()) {
                throw SnsException.invalidParameter(name, "a tag needs a Key");
            }
            tags.put(key, tag.get("Value") == null ? "" : tag.get("Value"));
        }
        return tags;
    }

    /**
     * Message attributes: {@code name.entry.N.Name}, {@code .Value.DataType}, {@code .Value.StringValue} or
     * {@code .Value.BinaryValue} (base64, kept so).
     */
    Map<String, MessageAttribute> messageAttributes(String name) {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (int n = 1; ; n++) {
            QueryParameters entry = under(name + ".entry." + n);
            if (entry.isEmpty()) {
                return attributes;
            }
            // Missing parts become empty strings, which PublishRules refuses naming the attribute (per batch entry).
            String attributeName = entry.get("Name") == null ? "" : entry.get("Name");
            String dataType = entry.get("Value.DataType") == null ? "" : entry.get("Value.DataType");
            String value = entry.get("Value.BinaryValue") != null
                    ? entry.get("Value.BinaryValue") : entry.get("Value.StringValue");
            if (attributes.put(attributeName, new MessageAttribute(dataType, value == null ? "" : value)) != null) {
                throw SnsException.invalidValue("The message attribute '" + attributeName + "' is given twice.");
            }
        }
    }

    private static void decodeInto(byte[] form, Map<String, String> values) {
        int start = 0;
        while (start <= form.length) {
            int end = start;
            while (end < form.length && form[end] != '&') {
                end++;
            }
            if (end > start) {
                int equals = start;
                while (equals < end && form[equals] != '=') {
                    equals++;
                }
                String name = decode(form, start, equals);
                String value = equals < end ? decode(form, equals + 1, end) : "";
                if (values.put(name, value) != null) {
                    throw new SnsException(SnsError.MALFORMED_QUERY_STRING, "the parameter " + name
                            + " is given more than once");
                }
            }
            start = end + 1;
        }
    }

    private static String decode(byte[] form, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = form[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                int high = i + 2 < to ? Character.digit(form[i + 1], 16) : -1;
                int low = i + 2 < to ? Character.digit(form[i + 2], 16) : -1;
                if (high < 0 || low < 0) {
                    throw new SnsException(SnsError.MALFORMED_QUERY_STRING, "bad percent-encoding at byte " + i
                            + " of the request parameters");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(b);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SnsException(SnsError.MALFORMED_QUERY_STRING, "a request parameter is not valid UTF-8 "
                    + "(bytes " + from + " to " + to + ")");
        }
    }
}
