package dev.relay.core.aws;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Side effects keyed by what they are for: written once, a repeat changes nothing. */
public final class DynamoDbItems {

    private DynamoDbItems() {}

    /** Puts {@code item} unless an item with its key exists; returns whether this call wrote it. */
    public static boolean putIfAbsent(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item,
            String keyAttribute) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", keyAttribute)));
            return true;
        } catch (ConditionalCheckFailedException repeat) {
            return false;
        }
    }
}
