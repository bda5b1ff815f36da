package dev.relay.ingest;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request as the ingest API sees it, whatever carried it: the route ({@code POST /events}), headers by
 * lower-case name, and the body's bytes (base64 already decoded).
 */
public record HttpRequest(String routeKey, Map<String, String> headers, byte[] body) {

    public HttpRequest {
        TreeMap<String, String> lower = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), value == null ? "" : value));
        }
        headers = java.util.Collections.unmodifiableMap(lower);
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
