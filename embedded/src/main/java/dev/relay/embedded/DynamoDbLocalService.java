package dev.relay.embedded;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * DynamoDB, as embedded DynamoDB Local on a private loopback port: in memory by default, or in {@code dataDir} so
 * tables survive a restart. One shared database for every access key and region ({@code -sharedDb}), because
 * functions, the CLI and a developer's own {@code aws} all carry different credentials.
 */
public final class DynamoDbLocalService implements AutoCloseable {

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocalService(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static DynamoDbLocalService start(Optional<Path> dataDir) {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = LocalPorts.free();
            List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb",
                    "-disableTelemetry"));
            if (dataDir.isPresent()) {
                try {
                    Files.createDirectories(dataDir.get());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the data directory " + dataDir.get(), e);
                }
                args.addAll(List.of("-dbPath", dataDir.get().toAbsolutePath().toString()));
            } else {
                args.add("-inMemory");
            }
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
                server.start();
                return new DynamoDbLocalService(server, port);
            } catch (Exception e) {
                last = e; // most likely the port was taken between probing and binding: try another
            }
        }
        throw new IllegalStateException("DynamoDB Local did not start: " + last.getMessage(), last);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }
}
