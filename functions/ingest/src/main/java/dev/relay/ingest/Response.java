package dev.relay.ingest;

import java.util.Map;

/** An HTTP answer of the ingest API: status, headers (content type included) and a JSON body. */
public record Response(int status, Map<String, String> headers, String body) {

    public Response {
        headers = Map.copyOf(headers);
    }

    static Response json(int status, String body) {
        return new Response(status, Map.of("content-type", "application/json"), body);
    }
}
