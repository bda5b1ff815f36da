package dev.relay.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.relay.offline.OfflineModel;
import dev.relay.offline.OfflineResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A self-hosted, OpenAI-compatible model server (as Ollama or vLLM would be behind {@code OpenAiBaseUrl}) whose model
 * may not be there yet: until {@link #pull()}, chat completions are answered 404 "model not found, try pulling it
 * first", exactly as Ollama answers them; afterwards the offline model answers. The operator's fix is real and
 * external to Relay: pulling the model on the server.
 */
final class PullableModelServer implements AutoCloseable {

    private final HttpServer server;
    private final OfflineModel model = new OfflineModel();
    private final AtomicBoolean pulled = new AtomicBoolean(true);

    private PullableModelServer(HttpServer server) {
        this.server = server;
    }

    static PullableModelServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        PullableModelServer server = new PullableModelServer(http);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /** {@code http://127.0.0.1:<port>/v1}: what OpenAiBaseUrl is set to. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The model is removed from the server ({@code ollama rm}). */
    void remove() {
        pulled.set(false);
    }

    /** The model is pulled onto the server ({@code ollama pull}): the fix. */
    void pull() {
        pulled.set(true);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (!pulled.get() && path.endsWith("/chat/completions")) {
                byte[] notFound = """
                        {"error":{"message":"model \\"gpt-4o-mini\\" not found, try pulling it first",\
                        "type":"api_error","param":null,"code":null}}""".getBytes(StandardCharsets.UTF_8);
                send(exchange, 404, notFound);
                return;
            }
            OfflineResponse answer = model.handle(exchange.getRequestMethod(), path, body);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            send(exchange, answer.status(), answer.body());
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
