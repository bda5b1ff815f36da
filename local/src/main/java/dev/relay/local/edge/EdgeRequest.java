package dev.relay.local.edge;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as the edge received it, independent of the server that carried it.
 *
 * @param method   upper-case HTTP method
 * @param path     the decoded path, always starting with {@code /}
 * @param rawQuery the raw (still URL-encoded) query string, empty when there is none
 * @param headers  header values by lower-case name
 * @param body     the request body, empty when there is none
 */
public record EdgeRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                          byte[] body) {

    public EdgeRequest {
        method = method.toUpperCase(Locale.ROOT);
        rawQuery = rawQuery == null ? "" : rawQuery;
        TreeMap<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>())
                .addAll(values));
        lower.replaceAll((name, values) -> List.copyOf(values));
        headers = java.util.Collections.unmodifiableMap(lower);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
