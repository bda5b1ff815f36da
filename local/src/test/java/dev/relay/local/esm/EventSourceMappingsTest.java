package dev.relay.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.local.esm.LocalSqs.Queue;
import dev.relay.local.lambda.InvocationResult;
import dev.relay.local.lambda.UnknownFunctionException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many mappings owned together, as the local cloud creates them from the template. */
class EventSourceMappingsTest {

    private static LocalSqs local;

    @BeforeAll
    static void startSqs() {
        local = new LocalSqs();
    }

    @AfterAll
    static void stopSqs() {
        local.close();
    }

    @Test
    void eachMappingFeedsItsFunctionAndAllCloseTogetherPromptly() {
        Queue ops = local.queue("ops", 30);
        Queue crm = local.queue("crm", 30);
        Queue idle = local.queue("idle", 30);
        RecordingFunction opsFunction = RecordingFunction.succeeding("OpsFn");
        RecordingFunction crmFunction = RecordingFunction.succeeding("CrmFn");
        Map<String, RecordingFunction> functions = Map.of("OpsFn", opsFunction, "CrmFn", crmFunction);
        EventSourceMappings mappings = new EventSourceMappings(local.sqs, (name, payload) -> {
            RecordingFunction function = functions.get(name);
            if (function == null) {
                throw new UnknownFunctionException(name);
            }
            return function.invoke(name, payload);
        });
        mappings.add(SqsEventSourceConfig.of("OpsFn", ops.arn()));
        mappings.add(SqsEventSourceConfig.of("CrmFn", crm.arn()));
        mappings.add(SqsEventSourceConfig.of("IdleFn", idle.arn()));
        mappings.add(SqsEventSourceConfig.of("OpsFn", crm.arn()).withEnabled(false));

        mappings.start();
        local.send(ops, "deploy.completed");
        local.send(crm, "customer.signup", "customer.updated");

        Eventually.within(Duration.ofSeconds(5), () -> assertThat(mappings.stats())
                .extracting(MappingStats::messagesDeleted).containsExactly(1L, 2L, 0L, 0L));
        assertThat(mappings.stats()).extracting(MappingStats::state).containsExactly(
                SqsEventSourceMapping.State.RUNNING, SqsEventSourceMapping.State.RUNNING,
                SqsEventSourceMapping.State.RUNNING, SqsEventSourceMapping.State.DISABLED);
        assertThat(opsFunction.bodies()).containsExactly("deploy.completed");
        assertThat(crmFunction.bodies()).containsExactlyInAnyOrder("customer.signup", "customer.updated");

        long started = System.nanoTime();
        assertThat(mappings.close(Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2000));
        assertThat(mappings.stats()).extracting(MappingStats::state)
                .containsOnly(SqsEventSourceMapping.State.CLOSED);
    }

    @Test
    void aMappingToAQueueThatDoesNotExistIsRejectedNamingTheArn() {
        EventSourceMappings mappings = new EventSourceMappings(local.sqs,
                (name, payload) -> new InvocationResult("r", null, null));

        assertThatThrownBy(() -> mappings.add(SqsEventSourceConfig.of("Fn",
                "arn:aws:sqs:us-east-1:000000000000:no-such-queue")))
                .isInstanceOf(InvalidMappingException.class)
                .hasMessageStartingWith("EventSourceArn: ")
                .hasMessageContaining("no-such-queue");
        mappings.close();
    }
}
