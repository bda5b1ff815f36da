package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code relay bench} as the {@code bench} Maven profile runs it ({@code ./mvnw -o verify -Pbench -DskipTests}). The
 * name matches none of failsafe's default patterns, so the default build never runs it. {@code -Dbench.parts=local,
 * requests} (and {@code -Dbench.messages}, {@code -Dbench.signups}, {@code -Dbench.events-per-type}) choose what runs.
 */
class RelayBench {

    @Test
    void bench() throws Exception {
        System.setProperty("relay.home", Path.of("..").toAbsolutePath().normalize().toString());
        Path json = Path.of(System.getProperty("bench.json", "target/bench.json"));
        PrintWriter out = new PrintWriter(System.out, true);
        String parts = System.getProperty("bench.parts", "cold-starts,local,requests");
        int exit = Relay.commandLine().setOut(out).setErr(new PrintWriter(System.err, true))
                .execute("bench", "--runs", System.getProperty("bench.runs", "5"), "--json", json.toString(),
                        "--part", parts, "--messages", System.getProperty("bench.messages", "100"),
                        "--signups", System.getProperty("bench.signups", "100"),
                        "--events-per-type", System.getProperty("bench.events-per-type", "5"));
        assertThat(exit).isZero();
        if (parts.contains("cold-starts")) {
            assertThat(Files.readString(json)).contains("hello_world_cold_start_ms", "cold_start_ratio");
        }
    }
}
