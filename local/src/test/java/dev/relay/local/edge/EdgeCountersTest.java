package dev.relay.local.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeCountersTest {

    private static EdgeRequest request(String method, String path, Map<String, List<String>> headers, String body) {
        return new EdgeRequest(method, path, "", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void countsPerServiceAndActionAndDiffersSnapshots() throws Exception {
        EdgeCounters counters = new EdgeCounters();
        Endpoint counted = counters.counting(request -> EdgeResponse.json(200, "{}"));
        Map<String, Long> before = counters.snapshot();
        EdgeRequest transact = request("POST", "/", Map.of("X-Amz-Target",
                List.of("DynamoDB_20120810.TransactWriteItems")), "{}");
        counted.handle(transact);
        counted.handle(transact);
        counted.handle(request("POST", "/", Map.of("Content-Type", List.of("application/x-www-form-urlencoded")),
                "Action=Publish&TopicArn=x"));
        counted.handle(request("POST", "/2015-03-31/functions/f/invocations", Map.of(), "{}"));
        assertThat(EdgeCounters.difference(before, counters.snapshot())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "dynamodb/TransactWriteItems", 2L, "sns/Publish", 1L, "lambda/Invoke", 1L));
    }

    @Test
    void countsTheItemsOfDynamoDbTransactionsAndBatchesWhichBillPerItem() throws Exception {
        EdgeCounters counters = new EdgeCounters();
        Endpoint counted = counters.counting(request -> EdgeResponse.json(200, "{}"));
        counted.handle(request("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDB_20120810.TransactWriteItems")),
                "{\"TransactItems\":[{\"Put\":{}},{\"Update\":{}}]}"));
        counted.handle(request("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDB_20120810.BatchWriteItem")),
                "{\"RequestItems\":{\"a\":[{\"PutRequest\":{}}],\"b\":[{\"PutRequest\":{}},{\"DeleteRequest\":{}}]}}"));
        counted.handle(request("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDB_20120810.BatchGetItem")),
                "{\"RequestItems\":{\"a\":{\"Keys\":[{},{},{},{}]}}}"));
        counted.handle(request("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDB_20120810.PutItem")),
                "{\"Item\":{}}"));
        counted.handle(request("POST", "/", Map.of("X-Amz-Target", List.of("DynamoDB_20120810.TransactGetItems")),
                "not json"));
        assertThat(counters.dynamoDbItems()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "dynamodb/TransactWriteItems", 2L, "dynamodb/BatchWriteItem", 3L, "dynamodb/BatchGetItem", 4L,
                "dynamodb/TransactGetItems", 0L));
    }
}
