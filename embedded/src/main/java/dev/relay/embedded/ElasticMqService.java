package dev.relay.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.collection.immutable.List$;

/**
 * SQS, as embedded ElasticMQ on a private loopback port. Queue URLs it hands out name the edge
 * ({@code http://127.0.0.1:4566/<account>/<queue>}), so clients that follow a queue URL come back through the edge.
 * In memory by default; with a data directory, queues and their messages (bodies, attributes, receive counts,
 * visibility) are kept in an H2 database there ({@code <dir>/sqs}) and come back on the next start.
 */
public final class ElasticMqService implements AutoCloseable {

    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

    private final SQSRestServer server;
    private final int port;
    /** The actor system this service made for persistence (ElasticMQ terminates only the ones it makes itself). */
    private final Optional<ActorSystem> ownSystem;

    private ElasticMqService(SQSRestServer server, Optional<ActorSystem> ownSystem) {
        this.server = server;
        this.port = server.waitUntilStarted().localAddress().getPort();
        this.ownSystem = ownSystem;
    }

    /**
     * In memory.
     *
     * @param edgeBaseUrl the base URL queue URLs should carry, e.g. {@code http://127.0.0.1:4566}
     */
    public static ElasticMqService start(String edgeBaseUrl, String region, String accountId) {
        return start(edgeBaseUrl, region, accountId, Optional.empty());
    }

    /**
     * @param edgeBaseUrl the base URL queue URLs should carry, e.g. {@code http://127.0.0.1:4566}
     * @param dataDir     where queues and messages persist; empty for memory only
     */
    public static ElasticMqService start(String edgeBaseUrl, String region, String accountId, Optional<Path> dataDir) {
        URI edge = URI.create(edgeBaseUrl);
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withInterface("127.0.0.1")
                .withDynamicPort()
                .withServerAddress(new NodeAddress(edge.getScheme(), edge.getHost(), edge.getPort(), ""))
                .withAWSRegion(region)
                .withAWSAccountId(accountId);
        if (dataDir.isEmpty()) {
            return new ElasticMqService(builder.start(), Optional.empty());
        }
        // As ElasticMQ's own server wires its SQL persistence: the store listens to every queue event, and the
        // queue manager is restored from it before the REST server answers.
        ActorSystem system = ActorSystem.create("elasticmq");
        SqlQueuePersistenceConfig config = SqlQueuePersistenceConfig.apply(true, "org.h2.Driver",
                "jdbc:h2:file:" + database(dataDir.get()), "sa", "", false);
        ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                () -> new SqlQueuePersistenceActor(config, List$.MODULE$.empty())));
        ActorRef manager = system.actorOf(Props.create(QueueManagerActor.class,
                () -> new QueueManagerActor(new NowProvider(), StrictSQSLimits$.MODULE$, Option.apply(store))));
        try {
            Patterns.ask(store, new QueueEvent.Restore(manager), RESTORE_TIMEOUT).toCompletableFuture()
                    .get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            system.terminate();
            throw new IllegalStateException("interrupted while restoring the queues in " + dataDir.get(), e);
        } catch (ExecutionException | TimeoutException e) {
            system.terminate();
            throw new IllegalStateException("cannot restore the queues in " + dataDir.get() + ": " + e.getMessage(), e);
        }
        return new ElasticMqService(builder.withActorSystem(system).withQueueManagerActor(manager)
                .withQueueEventListener(store).start(), Optional.of(system));
    }

    private static String database(Path dataDir) {
        Path directory = dataDir.toAbsolutePath().resolve("sqs");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory, e);
        }
        return directory.resolve("elasticmq").toString();
    }

    /** Where ElasticMQ itself listens (the edge proxies to it; local components may call it directly). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
        ownSystem.ifPresent(system -> {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // closing anyway
            }
        });
    }
}
