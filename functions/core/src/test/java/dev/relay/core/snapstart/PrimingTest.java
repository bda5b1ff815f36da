package dev.relay.core.snapstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.llm.LlmException;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.llm.Prompt;
import dev.relay.core.retry.Backoff;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Core;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Priming runs what a first invocation would, without the network. Every HTTP connection the JDK's URL connections
 * (the SDK's HTTP client) and OkHttp (the model client) open first asks the default {@link ProxySelector} for a route,
 * so a selector that records what it is asked for sees every connection attempt.
 */
class PrimingTest {

    private final List<URI> connections = new CopyOnWriteArrayList<>();
    private ProxySelector original;

    @BeforeEach
    void recordConnections() {
        original = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                connections.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
            }
        });
    }

    @AfterEach
    void restore() {
        ProxySelector.setDefault(original);
    }

    @Test
    void beforeCheckpointPrimesJsonTheSdkAndTheModelClientWithoutConnectingAnywhere() throws Exception {
        Priming priming = new Priming(List.of(LlmGateway::prime));

        priming.beforeCheckpoint(Core.getGlobalContext());

        assertThat(connections).as("connections attempted while priming").isEmpty();
    }

    @Test
    void theRecorderSeesAConnectionTheModelClientAttempts() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LlmSettings settings = LlmSettings.of("gpt-4o-mini", URI.create("http://127.0.0.1:" + closedPort + "/v1"),
                Duration.ofSeconds(2), 1, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)));

        try (LlmGateway gateway = new LlmGateway(settings)) {
            assertThatThrownBy(() -> gateway.write(new Prompt("system", "user"))).isInstanceOf(LlmException.class);
        }

        assertThat(connections).extracting(URI::getPort).contains(closedPort);
    }

    @Test
    void registeringOnAJvmWithoutCracIsHarmless() {
        Priming.register(LlmGateway::prime);
        Priming.register();

        assertThat(connections).isEmpty();
    }
}
