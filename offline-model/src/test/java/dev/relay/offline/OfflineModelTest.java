package dev.relay.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The model without a server: what the local cloud mounts on its own HTTP server. */
class OfflineModelTest {

    private static final byte[] REQUEST = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""".getBytes(StandardCharsets.UTF_8);

    @Test
    void withAFixedClockWholeResponsesRepeatByteForByte() {
        Clock fixed = Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC);

        OfflineResponse first = new OfflineModel(fixed).handle("POST", "/v1/chat/completions", REQUEST);
        OfflineResponse second = new OfflineModel(fixed).handle("POST", "/v1/chat/completions", REQUEST);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers()).containsEntry("Content-Type", "application/json");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(first.bodyText()).contains("\"created\":1748736000");
    }

    @Test
    void queryStringAndTrailingSlashAreIgnored() {
        assertThat(new OfflineModel().handle("POST", "/v1/chat/completions/?api-version=1", REQUEST).status()).isEqualTo(200);
    }
}
