package dev.relay.local.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Serves one {@link Endpoint} over HTTP/1.1 on a local socket (JDK HTTP server, one virtual thread per request, so a
 * long-polling client never starves the others). The edge port, the HTTP API port and tests all use it.
 */
public final class EdgeServer implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(EdgeServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private EdgeServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen; port 0 picks a free port
     * @throws UncheckedIOException naming the address when it cannot be bound (port in use)
     */
    public static EdgeServer start(InetSocketAddress address, Endpoint endpoint) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + " (" + e.getMessage() + "); is another local cloud already running?", e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, endpoint));
        server.start();
        return new EdgeServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} (or the bound host). */
    public String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    private static void serve(HttpExchange exchange, Endpoint endpoint) throws IOException {
        try (exchange) {
            EdgeResponse response;
            try {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                EdgeRequest request = new EdgeRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
                response = endpoint.handle(request);
            } catch (Exception | StackOverflowError e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = new EdgeResponse(500, Map.of("Content-Type", "text/plain; charset=utf-8"),
                        ("local cloud error: " + e).getBytes(StandardCharsets.UTF_8));
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = response.body();
            boolean noBody = body.length == 0 || "HEAD".equals(exchange.getRequestMethod())
                    || response.status() == 204 || response.status() == 304;
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** Stops accepting, lets in-flight requests finish for up to a second, then stops. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
