package dev.relay.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The audit table on DynamoDB Local, through the real SDK. */
class AuditTableTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    private final AuditTable table = LocalDynamo.freshTables(LocalDynamo.client());

    static AuditEntry entry(String stream, String agent, String eventId, RecordKind kind, Instant at, String causation) {
        return new AuditEntry(eventId, "test." + kind.wireName(), kind, agent, at,
                Json.object().put("note", "record " + eventId).put("amount", 50000), causation, stream);
    }

    @Test
    void appendedRecordsReadBackChainedAndQueryable() {
        table.append(List.of(
                entry("flow-1", "loan-reviewer", "e1", RecordKind.RECEIVED, T0, null),
                entry("flow-1", "loan-reviewer", "e2", RecordKind.DECISION, T0.plusSeconds(1), "e1")), Optional.empty());
        table.append(List.of(entry("flow-1", "notifier", "e3", RecordKind.EMITTED, T0.plusSeconds(5), "e2")), Optional.empty());

        List<AuditRecord> stream = table.stream("flow-1");
        assertThat(stream).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(stream).extracting(AuditRecord::eventId).containsExactly("e1", "e2", "e3");
        assertThat(stream.get(0).previousHash()).isEqualTo(HashChain.GENESIS);
        assertThat(stream.get(1).previousHash()).isEqualTo(stream.get(0).hash());
        assertThat(stream.get(2).previousHash()).isEqualTo(stream.get(1).hash());
        assertThat(stream.get(0).entry().payload().get("amount").asInt()).isEqualTo(50000);
        assertThat(ChainVerifier.verify("flow-1", stream).intact()).isTrue();

        assertThat(table.byAgent("loan-reviewer", T0, T0.plusSeconds(60), 100)).extracting(AuditRecord::eventId)
                .containsExactly("e1", "e2");
        assertThat(table.byAgent("loan-reviewer", T0.plusMillis(500), T0.plusSeconds(60), 100)).extracting(AuditRecord::eventId)
                .containsExactly("e2");
        assertThat(table.byEventId("e3")).singleElement().extracting(AuditRecord::agentId).isEqualTo("notifier");
        assertThat(table.head("flow-1")).get().extracting(AuditRecord::seq).isEqualTo(3L);
    }

    @Test
    void sinceReturnsTheRecordsOfEveryStreamFromAnInstantOn() {
        table.append(List.of(entry("flow-a", "tailed", "a1", RecordKind.RECEIVED, T0, null),
                entry("flow-a", "tailed", "a2", RecordKind.DECISION, T0.plusSeconds(10), "a1")), Optional.empty());
        table.append(List.of(entry("flow-b", "tailed", "b1", RecordKind.RECEIVED, T0.plusSeconds(10), null)), Optional.empty());

        assertThat(table.since(T0.plusSeconds(10))).extracting(AuditRecord::eventId).containsExactlyInAnyOrder("a2", "b1");
        assertThat(table.since(T0.plusSeconds(11))).isEmpty();
    }

    @Test
    void aSecondCompletionOfTheSameEventWritesNothing() {
        Completion completion = new Completion("loan-reviewer", "evt-1", "flow-2", 0, 0, T0);
        table.append(List.of(entry("flow-2", "loan-reviewer", "r1", RecordKind.RECEIVED, T0, null)), Optional.of(completion));

        assertThatThrownBy(() -> table.append(List.of(entry("flow-2", "loan-reviewer", "r1-again", RecordKind.RECEIVED, T0, null)),
                Optional.of(completion)))
                .isInstanceOf(AlreadyCompletedException.class)
                .satisfies(e -> assertThat(((AlreadyCompletedException) e).completion().lastSeq()).isEqualTo(1));
        assertThat(table.stream("flow-2")).hasSize(1);
        assertThat(table.completion("loan-reviewer", "evt-1")).get()
                .satisfies(c -> assertThat(c.firstSeq()).isEqualTo(1))
                .satisfies(c -> assertThat(c.correlationId()).isEqualTo("flow-2"));
    }

    @Test
    void aDecisionWithItsCompletionIsOneWriteRequest() {
        List<String> operations = new ArrayList<>();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        DynamoDbClient counted = LocalDynamo.client(counter);
        AuditTable audited = new AuditTable(counted, table.auditTableName(), table.idempotencyTableName());

        audited.append(List.of(
                entry("flow-3", "a", "x1", RecordKind.RECEIVED, T0, null),
                entry("flow-3", "a", "x2", RecordKind.LLM_CALL, T0, "x1"),
                entry("flow-3", "a", "x3", RecordKind.DECISION, T0, "x2"),
                entry("flow-3", "a", "x4", RecordKind.EMITTED, T0, "x3")),
                Optional.of(new Completion("a", "evt-x", "flow-3", 0, 0, T0)));

        assertThat(operations).containsExactly("Query", "TransactWriteItems");
    }

    @Test
    void concurrentWritersToOneStreamLeaveOneUnbrokenChain() throws Exception {
        int writers = 6;
        int appendsEach = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger ids = new AtomicInteger();
        ConcurrentHashMap<String, Boolean> written = new ConcurrentHashMap<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String agent = "agent-" + w;
            // each writer its own client, as each Lambda execution environment has
            AuditTable own = new AuditTable(LocalDynamo.client(), table.auditTableName(), table.idempotencyTableName());
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < appendsEach; i++) {
                    String a = "ev-" + ids.incrementAndGet();
                    String b = "ev-" + ids.incrementAndGet();
                    own.append(List.of(entry("signup-1", agent, a, RecordKind.RECEIVED, Instant.now(), null),
                            entry("signup-1", agent, b, RecordKind.DECISION, Instant.now(), a)), Optional.empty());
                    written.put(a, true);
                    written.put(b, true);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();

        List<AuditRecord> stream = table.stream("signup-1");
        assertThat(stream).hasSize(writers * appendsEach * 2);
        assertThat(stream).extracting(AuditRecord::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, writers * appendsEach * 2L).boxed().toList());
        assertThat(stream).extracting(AuditRecord::eventId).containsExactlyInAnyOrderElementsOf(written.keySet());
        // each decision sits right after its own received record: appends are atomic
        for (int i = 0; i < stream.size(); i += 2) {
            assertThat(stream.get(i + 1).causationId()).isEqualTo(stream.get(i).eventId());
        }
        assertThat(ChainVerifier.verify("signup-1", stream).findings()).isEmpty();
    }
}
