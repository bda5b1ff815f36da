package dev.relay.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves an {@link OfflineModel} over HTTP on 127.0.0.1: point an OpenAI client's base URL at {@link #baseUrl()}.
 *
 * <pre>{@code
 * try (OfflineModelServer model = OfflineModelServer.start(0)) {
 *     OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(model.baseUrl().toString()).apiKey("offline").build();
 *     ...
 * }
 * }</pre>
 */
public final class OfflineModelServer implements AutoCloseable {

    private static final int DEFAULT_PORT = 8089;

    private final OfflineModel model;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OfflineModelServer(OfflineModel model, HttpServer server, ExecutorService executor) {
        this.model = model;
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on 127.0.0.1; port 0 picks a free port. */
    public static OfflineModelServer start(int port) {
        return start(port, new OfflineModel());
    }

    /** Starts a server for this model on 127.0.0.1; port 0 picks a free port. */
    public static OfflineModelServer start(int port, OfflineModel model) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        // One virtual thread per exchange: parallel and delayed requests never wait for each other.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        OfflineModelServer offline = new OfflineModelServer(model, server, executor);
        server.createContext("/", offline::exchange);
        server.start();
        return offline;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>/v1}: what {@code OPENAI_BASE_URL} is set to. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    /** The model this server carries. */
    public OfflineModel model() {
        return model;
    }

    /** The next chat completion request gets this fault instead of an answer (first in, first out). */
    public void enqueueFault(Fault fault) {
        model.enqueueFault(fault);
    }

    /** Chat completion requests received so far, including faulted and rejected ones. */
    public int chatCompletionCount() {
        return model.chatCompletionCount();
    }

    /** The bodies of the chat completion requests received, in order (a copy). */
    public List<JsonNode> requests() {
        return model.requests();
    }

    /** Stops at once: open exchanges are dropped, the port and threads are released. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void exchange(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            OfflineResponse response = model.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
            response.headers().forEach(exchange.getResponseHeaders()::set);
            byte[] bytes = response.body();
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // The client hung up (e.g. its timeout fired during a delay fault): nobody is left to answer.
        }
    }

    /** Runs the offline model until killed: {@code --port N} (default 8089); prints the base URL. */
    public static void main(String[] args) throws InterruptedException {
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("--port=")) {
                port = Integer.parseInt(args[i].substring("--port=".length()));
            } else {
                System.err.println("usage: OfflineModelServer [--port N]   (default " + DEFAULT_PORT + ", 0 = any free port)");
                System.exit(2);
            }
        }
        OfflineModelServer server = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "offline-model-shutdown"));
        System.out.println(server.baseUrl());
        new CountDownLatch(1).await();
    }
}
