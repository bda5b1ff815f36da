package dev.relay.local.edge;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Forwards requests unchanged to an embedded emulator (ElasticMQ, DynamoDB Local) on a private port. The signature is
 * passed through; neither emulator verifies it, and neither needs the original {@code Host}.
 */
public final class ProxyEndpoint implements Endpoint {

    /** Headers that describe one hop, not the message; the JDK client also refuses to set some of them. */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-connection", "date");

    /** Longer than SQS's longest long poll (20 s). */
    private static final Duration TIMEOUT = Duration.ofSeconds(75);

    private final URI target;
    private final HttpClient client;

    public ProxyEndpoint(URI target) {
        this.target = target;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) throws IOException {
        String query = request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery();
        HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(request.path() + query))
                .timeout(TIMEOUT)
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name)) {
                values.forEach(value -> forward.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while forwarding to " + target);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                headers.put(name, String.join(",", values));
            }
        });
        return new EdgeResponse(response.statusCode(), headers, response.body());
    }

    @Override
    public String toString() {
        return "proxy to " + target;
    }
}
