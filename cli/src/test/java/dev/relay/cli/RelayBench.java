package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code relay bench} as the {@code bench} Maven profile runs it ({@code ./mvnw -o verify -Pbench -DskipTests}). The
 * name matches none of failsafe's default patterns, so the default build never runs it.
 */
class RelayBench {

    @Test
    void bench() throws Exception {
        System.setProperty("relay.home", Path.of("..").toAbsolutePath().normalize().toString());
        Path json = Path.of(System.getProperty("bench.json", "target/bench.json"));
        PrintWriter out = new PrintWriter(System.out, true);
        int exit = Relay.commandLine().setOut(out).setErr(new PrintWriter(System.err, true))
                .execute("bench", "--runs", System.getProperty("bench.runs", "5"), "--json", json.toString());
        assertThat(exit).isZero();
        assertThat(Files.readString(json)).contains("hello_world_cold_start_ms", "cold_start_ratio");
    }
}
