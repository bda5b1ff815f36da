package dev.relay.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The audit trail in DynamoDB. The audit table holds one item per record, keyed by stream (correlation id) and
 * {@code seq}, with two indexes: {@code by-agent} ({@code agent_id}, {@code at}) and {@code by-event}
 * ({@code event_id}). The idempotency table holds one {@link Completion} per consumer and event, expiring after
 * {@link #COMPLETION_TTL} (SQS keeps a message at most 14 days, so no redelivery can come later).
 *
 * <p>Writes are conditional puts only ({@code attribute_not_exists}): a record is never updated or deleted. A
 * decision's records and its completion go in ONE {@code TransactWriteItems} request, after ONE strongly consistent
 * query for the stream's head. Two writers racing for the same {@code seq} cannot both win: the loser's
 * transaction is cancelled, it re-reads the head and re-links its records after the winner's, so the chain never
 * forks.
 */
public final class AuditTable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTable.class);

    public static final String BY_AGENT = "by-agent";
    public static final String BY_EVENT = "by-event";
    public static final Duration COMPLETION_TTL = Duration.ofDays(15);
    /** TransactWriteItems' limit, less the completion. */
    public static final int MAX_RECORDS_PER_APPEND = 99;

    private static final int MAX_ATTEMPTS = 25;
    private static final Backoff CONTENTION = new Backoff(Duration.ofMillis(5), Duration.ofMillis(250));

    private final DynamoDbClient dynamo;
    private final String auditTable;
    private final String idempotencyTable;

    public AuditTable(DynamoDbClient dynamo, String auditTable, String idempotencyTable) {
        this.dynamo = dynamo;
        this.auditTable = auditTable;
        this.idempotencyTable = idempotencyTable;
    }

    public String auditTableName() {
        return auditTable;
    }

    public String idempotencyTableName() {
        return idempotencyTable;
    }

    public List<AuditRecord> append(List<AuditEntry> entries, Optional<Completion> completion) {
        return append(entries, completion, Optional.empty());
    }

    /**
     * Appends entries of one stream as consecutive records, atomically, with {@code completion} when given (its seq
     * range is filled in here) and, when given, the claim of a name for the completion's event (an item
     * {@code claim|<name>} in the idempotency table that only one event can ever hold). Retries on contention with
     * other writers of the stream.
     *
     * @throws AlreadyCompletedException when the completion exists already (nothing was written)
     * @throws ClaimTakenException when another event holds the claim (nothing was written)
     */
    public List<AuditRecord> append(List<AuditEntry> entries, Optional<Completion> completion, Optional<String> claim) {
        if (claim.isPresent() && completion.isEmpty()) {
            throw new IllegalArgumentException("a claim is taken for a completion; got claim " + claim.get() + " alone");
        }
        if (entries.isEmpty() || entries.size() > MAX_RECORDS_PER_APPEND) {
            throw new IllegalArgumentException("an append holds 1 to " + MAX_RECORDS_PER_APPEND + " records, got " + entries.size());
        }
        String stream = entries.get(0).correlationId();
        for (AuditEntry entry : entries) {
            if (!entry.correlationId().equals(stream)) {
                throw new IllegalArgumentException("an append belongs to one stream; got " + stream + " and " + entry.correlationId());
            }
        }
        for (int attempt = 1; ; attempt++) {
            Optional<AuditRecord> head = head(stream);
            long seq = head.map(AuditRecord::seq).orElse(0L);
            String previous = head.map(AuditRecord::hash).orElse(HashChain.GENESIS);
            List<AuditRecord> records = new ArrayList<>(entries.size());
            for (AuditEntry entry : entries) {
                AuditRecord record = entry.chained(++seq, previous);
                records.add(record);
                previous = record.hash();
            }
            List<TransactWriteItem> writes = new ArrayList<>(records.size() + 1);
            Optional<Completion> done = completion.map(c -> new Completion(c.consumer(), c.eventId(), stream,
                    records.getFirst().seq(), records.getLast().seq(), c.completedAt()));
            done.ifPresent(c -> writes.add(TransactWriteItem.builder().put(putNew(idempotencyTable, completionItem(c), "id")).build()));
            claim.ifPresent(name -> writes.add(TransactWriteItem.builder().put(claimItem(name, done.orElseThrow())).build()));
            for (AuditRecord record : records) {
                writes.add(TransactWriteItem.builder().put(putNew(auditTable, item(record), "seq")).build());
            }
            try {
                dynamo.transactWriteItems(b -> b.transactItems(writes));
                return records;
            } catch (TransactionCanceledException e) {
                if (done.isPresent() && conditionFailed(e, 0)) {
                    throw new AlreadyCompletedException(completion(done.get().consumer(), done.get().eventId())
                            .orElse(done.get()));
                }
                if (claim.isPresent() && conditionFailed(e, 1)) {
                    throw new ClaimTakenException(claim.get());
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("could not append to audit stream " + stream + " after "
                            + MAX_ATTEMPTS + " attempts: " + e.getMessage(), e);
                }
                LOG.debug("audit stream {} moved on while appending (attempt {}): {}", stream, attempt, e.getMessage());
                sleep(CONTENTION.delay(attempt));
            }
        }
    }

    /** The completion of {@code eventId} by {@code consumer}, if any (strongly consistent). */
    public Optional<Completion> completion(String consumer, String eventId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(idempotencyTable).consistentRead(true)
                .key(Map.of("id", s(Completion.key(consumer, eventId))))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Completion(item.get("consumer").s(), item.get("event_id").s(), item.get("correlation_id").s(),
                Long.parseLong(item.get("first_seq").n()), Long.parseLong(item.get("last_seq").n()),
                Instant.parse(item.get("completed_at").s()),
                item.containsKey("published_at") ? Instant.parse(item.get("published_at").s()) : null));
    }

    /** Notes that the completion's follow-ups were published, so a redelivery need not publish them again. */
    public void markPublished(Completion completion, Instant at) {
        dynamo.updateItem(b -> b.tableName(idempotencyTable).key(Map.of("id", s(completion.key())))
                .updateExpression("SET published_at = if_not_exists(published_at, :at)")
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(Map.of(":at", s(at.toString()))));
    }

    /** The last record of a stream (strongly consistent). */
    public Optional<AuditRecord> head(String stream) {
        QueryResponse response = dynamo.query(b -> b.tableName(auditTable).consistentRead(true)
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "stream"))
                .expressionAttributeValues(Map.of(":s", s(stream))).scanIndexForward(false).limit(1));
        return response.items().stream().findFirst().map(AuditTable::record);
    }

    /** A stream's records in {@code seq} order, optionally only {@code from..to} (inclusive). */
    public List<AuditRecord> stream(String stream, long from, long to) {
        return query(b -> b.tableName(auditTable).consistentRead(true)
                .keyConditionExpression("#s = :s AND #q BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#s", "stream", "#q", "seq"))
                .expressionAttributeValues(Map.of(":s", s(stream), ":from", n(from), ":to", n(to))));
    }

    public List<AuditRecord> stream(String stream) {
        return query(b -> b.tableName(auditTable).consistentRead(true)
                .keyConditionExpression("#s = :s").expressionAttributeNames(Map.of("#s", "stream"))
                .expressionAttributeValues(Map.of(":s", s(stream))));
    }

    /** An agent's records with {@code from <= timestamp <= to}, oldest first (the by-agent index). */
    public List<AuditRecord> byAgent(String agentId, Instant from, Instant to, int limit) {
        List<AuditRecord> records = query(b -> b.tableName(auditTable).indexName(BY_AGENT)
                .keyConditionExpression("agent_id = :a AND #at BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#at", "at"))
                .expressionAttributeValues(Map.of(":a", s(agentId), ":from", s(Timestamps.format(from)),
                        ":to", s(Timestamps.format(to)))), limit);
        return records;
    }

    /** The records with this event id (one, unless the trail was tampered with). */
    public List<AuditRecord> byEventId(String eventId) {
        return query(b -> b.tableName(auditTable).indexName(BY_EVENT)
                .keyConditionExpression("event_id = :e").expressionAttributeValues(Map.of(":e", s(eventId))));
    }

    /** Every record of the table, grouped by nothing: callers sort per stream. A full scan; for verification. */
    public List<AuditRecord> all() {
        List<AuditRecord> records = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(auditTable).consistentRead(true).build())
                .items().forEach(item -> records.add(record(item)));
        return records;
    }

    /**
     * The records of every stream with {@code timestamp >= from}, in no particular order. A filtered scan: DynamoDB
     * reads (and bills) the whole table, and only sends back the matching records.
     */
    public List<AuditRecord> since(Instant from) {
        List<AuditRecord> records = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(auditTable)
                        .filterExpression("#at >= :from").expressionAttributeNames(Map.of("#at", "at"))
                        .expressionAttributeValues(Map.of(":from", s(Timestamps.format(from)))).build())
                .items().forEach(item -> records.add(record(item)));
        return records;
    }

    private List<AuditRecord> query(Consumer<QueryRequest.Builder> request) {
        return query(request, Integer.MAX_VALUE);
    }

    private List<AuditRecord> query(Consumer<QueryRequest.Builder> request, int limit) {
        QueryRequest.Builder builder = QueryRequest.builder();
        request.accept(builder);
        List<AuditRecord> records = new ArrayList<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(builder.build()).items()) {
            records.add(record(item));
            if (records.size() >= limit) {
                break;
            }
        }
        return records;
    }

    private static Put putNew(String table, Map<String, AttributeValue> item, String keyAttribute) {
        return Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", keyAttribute))
                .build();
    }

    private static boolean conditionFailed(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    static Map<String, AttributeValue> item(AuditRecord record) {
        AuditEntry entry = record.entry();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("stream", s(entry.correlationId()));
        item.put("seq", n(record.seq()));
        item.put("event_id", s(entry.eventId()));
        item.put("event_type", s(entry.eventType()));
        item.put("kind", s(entry.kind().wireName()));
        item.put("agent_id", s(entry.agentId()));
        item.put("at", s(Timestamps.format(entry.timestamp())));
        // A JSON string, not a DynamoDB map: it reads back exactly (number forms, key order), so checksums verify.
        item.put("payload", s(Json.write(entry.payload())));
        if (entry.causationId() != null) {
            item.put("causation_id", s(entry.causationId()));
        }
        item.put("checksum", s(record.checksum()));
        item.put("prev_hash", s(record.previousHash()));
        item.put("hash", s(record.hash()));
        return item;
    }

    static AuditRecord record(Map<String, AttributeValue> item) {
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(text(item, "payload"));
        } catch (Exception e) {
            payload = Json.object().put("unreadable_payload", text(item, "payload"));
        }
        AuditEntry entry = new AuditEntry(text(item, "event_id"), text(item, "event_type"),
                RecordKind.fromWire(text(item, "kind")), text(item, "agent_id"),
                Instant.parse(text(item, "at")),
                payload instanceof ObjectNode object ? object : Json.object().set("value", payload),
                item.containsKey("causation_id") ? item.get("causation_id").s() : null,
                text(item, "stream"));
        return new AuditRecord(entry, Long.parseLong(item.get("seq").n()), text(item, "checksum"),
                text(item, "prev_hash"), text(item, "hash"));
    }

    /** The claim's item: held by one consumer's event forever (no TTL: "exactly once" must outlive redeliveries). */
    private Put claimItem(String name, Completion holder) {
        return Put.builder().tableName(idempotencyTable)
                .item(Map.of("id", s("claim|" + name), "holder", s(holder.key()),
                        "claimed_at", s(holder.completedAt().toString())))
                .conditionExpression("attribute_not_exists(id) OR holder = :holder")
                .expressionAttributeValues(Map.of(":holder", s(holder.key())))
                .build();
    }

    private static Map<String, AttributeValue> completionItem(Completion completion) {
        return Map.of(
                "id", s(completion.key()),
                "consumer", s(completion.consumer()),
                "event_id", s(completion.eventId()),
                "correlation_id", s(completion.correlationId()),
                "first_seq", n(completion.firstSeq()),
                "last_seq", n(completion.lastSeq()),
                "completed_at", s(completion.completedAt().toString()),
                "expires_at", n(completion.completedAt().plus(COMPLETION_TTL).getEpochSecond()));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? "" : value.s() != null ? value.s() : value.n();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to the audit trail", e);
        }
    }
}
