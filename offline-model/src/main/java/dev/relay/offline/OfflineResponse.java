package dev.relay.offline;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP answer of the offline model, independent of the server that carries it. */
public record OfflineResponse(int status, Map<String, String> headers, byte[] body) {

    public OfflineResponse {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OfflineResponse[status=" + status + ", headers=" + headers + ", body=" + bodyText() + "]";
    }
}
