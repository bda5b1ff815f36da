package dev.relay.ingest;

import static dev.relay.ingest.AcceptanceLedger.n;
import static dev.relay.ingest.AcceptanceLedger.s;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Webhook signatures already used, in the idempotency table ({@code id = webhook-signature|<signature>}) until the
 * signature's window has passed: a conditional put is atomic across every Lambda instance, so a replayed request is
 * refused wherever it lands.
 */
public final class ReplayGuard {

    static final String KEY_PREFIX = "webhook-signature|";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public ReplayGuard(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    /** @return false when the signature was used before and is still inside its window */
    boolean claim(String signature, Instant windowEnds) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of("id", s(KEY_PREFIX + signature), "expires_at", n(windowEnds.getEpochSecond())))
                    .conditionExpression("attribute_not_exists(id) OR expires_at < :now")
                    .expressionAttributeValues(Map.of(":now", n(now))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives a signature back when its request failed on our side (429, 5xx): the sender's retry is not a replay. */
    void release(String signature) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", s(KEY_PREFIX + signature))));
    }
}
