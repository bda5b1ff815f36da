package dev.relay.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.agent.UnroutedEventException;
import dev.relay.core.event.InvalidEventException;
import dev.relay.core.llm.LlmException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class QueueWorkerTest {

    @Test
    void onlyFailuresNoRetryCanCureArePermanent() {
        assertThat(QueueWorker.isPermanent(new InvalidEventException("$", "not JSON"))).isTrue();
        assertThat(QueueWorker.isPermanent(new UnroutedEventException("a.b", Set.of()))).isTrue();
        assertThat(QueueWorker.isPermanent(new LlmException("HTTP 400", false, 1, null))).isTrue();

        assertThat(QueueWorker.isPermanent(new LlmException("HTTP 429", true, 3, null))).isFalse();
        assertThat(QueueWorker.isPermanent(new IllegalStateException("timeout"))).isFalse();
    }

    @Test
    void wrappingDoesNotHideAPermanentCause() {
        assertThat(QueueWorker.isPermanent(new CompletionException(new LlmException("HTTP 400", false, 1, null))))
                .isTrue();
        assertThat(QueueWorker.isPermanent(new CompletionException(new IllegalStateException("timeout")))).isFalse();
    }
}
