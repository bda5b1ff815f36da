package dev.relay.embedded;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * SQS, as embedded ElasticMQ on a private loopback port. Queue URLs it hands out name the edge
 * ({@code http://127.0.0.1:4566/<account>/<queue>}), so clients that follow a queue URL come back through the edge.
 */
public final class ElasticMqService implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;

    private ElasticMqService(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param edgeBaseUrl the base URL queue URLs should carry, e.g. {@code http://127.0.0.1:4566}
     */
    public static ElasticMqService start(String edgeBaseUrl, String region, String accountId) {
        URI edge = URI.create(edgeBaseUrl);
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .withServerAddress(new NodeAddress(edge.getScheme(), edge.getHost(), edge.getPort(), ""))
                .withAWSRegion(region)
                .withAWSAccountId(accountId)
                .start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMqService(server, port);
    }

    /** Where ElasticMQ itself listens (the edge proxies to it; local components may call it directly). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
