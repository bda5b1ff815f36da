package dev.relay.core.audit;

import static dev.relay.core.audit.AuditTableTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Verification of a stream on DynamoDB Local, untouched and after each kind of tampering done with raw SDK calls. */
class ChainVerifierTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private static final String STREAM = "loan-42";

    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final AuditTable table = LocalDynamo.freshTables(dynamo);
    private final AuditTrail trail = new AuditTrail(table);

    @BeforeEach
    void fiveRecords() {
        for (int i = 1; i <= 5; i++) {
            table.append(List.of(entry(STREAM, "loan-reviewer", "evt-" + i, RecordKind.DECISION, T0.plusSeconds(i),
                    i == 1 ? null : "evt-" + (i - 1))), Optional.empty());
        }
    }

    @Test
    void anUntouchedTrailVerifies() {
        Verification verification = trail.verify(STREAM);

        assertThat(verification.intact()).isTrue();
        assertThat(verification.records()).isEqualTo(5);
        assertThat(verification.headHash()).isEqualTo(table.head(STREAM).orElseThrow().hash());
        assertThat(trail.verifyAll()).extracting(Verification::stream).containsExactly(STREAM);
    }

    @Test
    void anEditedFieldIsReportedAsChangedContentOnThatRecord() {
        Map<String, AttributeValue> item = item(3);
        item.put("payload", AttributeValue.fromS(Json.canonical(Json.object().put("note", "record evt-3").put("amount", 5000))));
        dynamo.putItem(b -> b.tableName(table.auditTableName()).item(item));

        assertThat(trail.verify(STREAM).findings()).singleElement().satisfies(f -> {
            assertThat(f.seq()).isEqualTo(3);
            assertThat(f.eventId()).isEqualTo("evt-3");
            assertThat(f.problem()).isEqualTo(Verification.Problem.CONTENT_CHANGED);
        });
    }

    @Test
    void aRewrittenRecordWithRecomputedHashesIsStillCaught() {
        AuditRecord original = AuditTable.record(item(3));
        AuditEntry forged = new AuditEntry("evt-3", "application.approved", RecordKind.DECISION, "loan-reviewer",
                original.timestamp(), Json.object().put("decision", "approved"), "evt-2", STREAM);
        dynamo.putItem(b -> b.tableName(table.auditTableName()).item(AuditTable.item(forged.chained(3, original.previousHash()))));

        assertThat(trail.verify(STREAM).findings()).singleElement().satisfies(f -> {
            assertThat(f.seq()).isEqualTo(3);
            assertThat(f.problem()).isEqualTo(Verification.Problem.CONTENT_CHANGED);
            assertThat(f.detail()).contains("rewritten");
        });
    }

    @Test
    void aDeletedRecordIsReportedMissingBeforeTheNextOne() {
        dynamo.deleteItem(b -> b.tableName(table.auditTableName()).key(key(3)));

        assertThat(trail.verify(STREAM).findings()).singleElement().satisfies(f -> {
            assertThat(f.seq()).isEqualTo(4);
            assertThat(f.problem()).isEqualTo(Verification.Problem.MISSING);
            assertThat(f.detail()).contains("seq 3");
        });
    }

    @Test
    void aForgedRecordInsertedIntoTheStreamIsReportedExtra() {
        // Make room at seq 3 by moving 3..5 up one, then insert a well-formed record chained to seq 2.
        for (int seq = 5; seq >= 3; seq--) {
            Map<String, AttributeValue> moved = item(seq);
            moved.put("seq", AttributeValue.fromN(Integer.toString(seq + 1)));
            dynamo.putItem(b -> b.tableName(table.auditTableName()).item(moved));
        }
        AuditRecord second = AuditTable.record(item(2));
        AuditEntry forged = new AuditEntry("evt-forged", "application.approved", RecordKind.DECISION, "loan-reviewer",
                T0.plusMillis(2500), Json.object().put("decision", "approved"), "evt-2", STREAM);
        dynamo.putItem(b -> b.tableName(table.auditTableName()).item(AuditTable.item(forged.chained(3, second.hash()))));

        assertThat(trail.verify(STREAM).findings()).singleElement().satisfies(f -> {
            assertThat(f.seq()).isEqualTo(3);
            assertThat(f.eventId()).isEqualTo("evt-forged");
            assertThat(f.problem()).isEqualTo(Verification.Problem.EXTRA);
        });
    }

    @Test
    void aRecordForgedWithNoLinkIsReportedExtra() {
        Map<String, AttributeValue> forged = item(5);
        forged.put("seq", AttributeValue.fromN("6"));
        forged.put("event_id", AttributeValue.fromS("evt-appended"));
        AuditRecord parsed = AuditTable.record(forged);
        dynamo.putItem(b -> b.tableName(table.auditTableName()).item(AuditTable.item(parsed.entry().chained(6, "f".repeat(64)))));

        assertThat(trail.verify(STREAM).findings()).singleElement().satisfies(f -> {
            assertThat(f.seq()).isEqualTo(6);
            assertThat(f.problem()).isEqualTo(Verification.Problem.EXTRA);
        });
    }

    @Test
    void twoSwappedRecordsAreBothReportedOutOfOrder() {
        Map<String, AttributeValue> second = item(2);
        Map<String, AttributeValue> third = item(3);
        second.put("seq", AttributeValue.fromN("3"));
        third.put("seq", AttributeValue.fromN("2"));
        dynamo.putItem(b -> b.tableName(table.auditTableName()).item(second));
        dynamo.putItem(b -> b.tableName(table.auditTableName()).item(third));

        List<Verification.Finding> findings = trail.verify(STREAM).findings();
        assertThat(findings).extracting(Verification.Finding::seq).containsExactly(2L, 3L);
        assertThat(findings).extracting(Verification.Finding::problem).containsOnly(Verification.Problem.OUT_OF_ORDER);
        assertThat(findings).extracting(Verification.Finding::eventId).containsExactly("evt-3", "evt-2");
    }

    private Map<String, AttributeValue> item(int seq) {
        return new HashMap<>(dynamo.getItem(b -> b.tableName(table.auditTableName()).key(key(seq)).consistentRead(true)).item());
    }

    private static Map<String, AttributeValue> key(int seq) {
        return Map.of("stream", AttributeValue.fromS(STREAM), "seq", AttributeValue.fromN(Integer.toString(seq)));
    }
}
