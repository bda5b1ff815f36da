package dev.relay.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.Sha256;
import dev.relay.core.event.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The event ids the API has accepted, one item per id in the idempotency table ({@code id = ingest|<event id>}).
 * An id goes through two states:
 * <ol>
 *   <li>{@code pending}: reserved by one request (a conditional put), holding the event exactly as it will be
 *       published and a lease of {@link #LEASE};
 *   <li>{@code accepted}: published, holding the receipt every later request with this id is answered with.
 * </ol>
 * A publish that fails releases the reservation, so a retry publishes. A request that dies between publishing and
 * recording leaves the reservation pending: until its lease ends a retry is told to wait (409, {@code Retry-After});
 * after, the retry takes the reservation over and publishes the stored event again, same id and same bytes, which
 * consumers deduplicate by id. So an id is never reported accepted unpublished, and is published at least once.
 * The same id with different content (all but {@code time}) is a conflict, never a silent duplicate.
 */
public final class AcceptanceLedger {

    static final String KEY_PREFIX = "ingest|";
    /** Longer than the function's timeout (template.yaml: 15 s), so a live request never loses its reservation. */
    public static final Duration LEASE = Duration.ofSeconds(30);
    /** How long an accepted id answers retries with its receipt (then it expires with the table's TTL). */
    public static final Duration RETENTION = Duration.ofHours(24);

    private static final String PENDING = "pending";
    private static final String ACCEPTED = "accepted";
    private static final int MAX_ATTEMPTS = 3;

    /** What a request may do with an event id. */
    sealed interface Reservation {
        /** This request holds the id: publish {@code event} (the stored one, when taking over a stale reservation). */
        record Reserved(String token, Envelope event) implements Reservation {
        }

        /** Published before: answer with the same receipt. */
        record Accepted(Receipt receipt) implements Reservation {
        }

        /** Another request is publishing this id right now. */
        record Pending(Duration retryAfter) implements Reservation {
        }

        /** The id belongs to a different event. */
        record Conflict() implements Reservation {
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public AcceptanceLedger(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** Content that identifies the event: everything but {@code time}, which a producer may restamp on a retry. */
    static String fingerprint(Envelope event) {
        ObjectNode content = event.toJsonNode();
        content.remove("time");
        return Sha256.hex(Json.canonical(content));
    }

    Reservation reserve(Envelope event) {
        String fingerprint = fingerprint(event);
        for (int attempt = 1; ; attempt++) {
            long now = clock.instant().getEpochSecond();
            String token = UUID.randomUUID().toString();
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("id", s(KEY_PREFIX + event.id()));
            item.put("state", s(PENDING));
            item.put("token", s(token));
            item.put("fingerprint", s(fingerprint));
            item.put("event", s(event.toJson()));
            item.put("lease_until", n(now + LEASE.toSeconds()));
            item.put("expires_at", n(now + RETENTION.toSeconds()));
            try {
                PutItemResponse response = dynamo.putItem(b -> b.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(id) OR expires_at < :now OR "
                                + "(#state = :pending AND lease_until < :now AND fingerprint = :fp)")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":now", n(now), ":pending", s(PENDING), ":fp", s(fingerprint)))
                        .returnValues(ReturnValue.ALL_OLD)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
                Map<String, AttributeValue> previous = response.attributes();
                boolean takenOver = previous != null && previous.containsKey("event")
                        && PENDING.equals(text(previous, "state")) && number(previous, "expires_at") >= now;
                // The stale request may have published before it died: publish the very same bytes again.
                return new Reservation.Reserved(token, takenOver ? Envelope.parse(text(previous, "event")) : event);
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> existing = e.hasItem() && !e.item().isEmpty() ? e.item() : current(event.id());
                if (existing.isEmpty()) {
                    if (attempt == MAX_ATTEMPTS) {
                        throw new IllegalStateException("the reservation of " + event.id() + " kept changing");
                    }
                    continue; // released between our put and our read: try again
                }
                if (!fingerprint.equals(text(existing, "fingerprint"))) {
                    return new Reservation.Conflict();
                }
                if (ACCEPTED.equals(text(existing, "state"))) {
                    return new Reservation.Accepted(Receipt.fromJson(text(existing, "receipt")));
                }
                return new Reservation.Pending(Duration.ofSeconds(Math.max(1, number(existing, "lease_until") - now + 1)));
            }
        }
    }

    /** Records the id as published; a no-op when another request took the reservation over meanwhile. */
    void accepted(String token, Envelope event, Receipt receipt) {
        long now = clock.instant().getEpochSecond();
        Map<String, AttributeValue> item = Map.of(
                "id", s(KEY_PREFIX + event.id()),
                "state", s(ACCEPTED),
                "fingerprint", s(fingerprint(event)),
                "receipt", s(Json.write(receipt.toJson())),
                "accepted_at", s(clock.instant().toString()),
                "expires_at", n(now + RETENTION.toSeconds()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("#token = :token")
                    .expressionAttributeNames(Map.of("#token", "token"))
                    .expressionAttributeValues(Map.of(":token", s(token))));
        } catch (ConditionalCheckFailedException e) {
            // Taken over after our lease ended: that request records it.
        }
    }

    /** Gives the id back after a failed publish, so that a retry publishes. */
    void release(String token, String eventId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", s(KEY_PREFIX + eventId)))
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(Map.of("#token", "token"))
                    .expressionAttributeValues(Map.of(":token", s(token))));
        } catch (ConditionalCheckFailedException e) {
            // Not ours any more.
        }
    }

    private Map<String, AttributeValue> current(String eventId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("id", s(KEY_PREFIX + eventId)))).item();
        return item == null ? Map.of() : item;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
