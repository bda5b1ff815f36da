package dev.relay.local.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SqsSendReporterTest {

    private static final String URL = "http://127.0.0.1:4566/000000000000/relay-ops-queue";

    private final List<String> reported = new CopyOnWriteArrayList<>();

    private static EdgeRequest request(Map<String, List<String>> headers, String body) {
        return new EdgeRequest("POST", "/", "", headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static EdgeRequest json(String action, String body) {
        return request(Map.of("X-Amz-Target", List.of("AmazonSQS." + action),
                "Content-Type", List.of("application/x-amz-json-1.0")), body);
    }

    @Test
    void reportsTheQueueOfEachSuccessfulSendInEitherProtocol() throws Exception {
        Endpoint edge = new SqsSendReporter(request -> EdgeResponse.json(200, "{}"), reported::add);
        edge.handle(json("SendMessage", "{\"QueueUrl\":\"" + URL + "\",\"MessageBody\":\"x\"}"));
        edge.handle(json("SendMessageBatch", "{\"QueueUrl\":\"" + URL + "-dlq\",\"Entries\":[]}"));
        edge.handle(request(Map.of("Content-Type", List.of("application/x-www-form-urlencoded")),
                "Action=SendMessage&QueueUrl=" + java.net.URLEncoder.encode(URL, StandardCharsets.UTF_8)
                        + "&MessageBody=x"));
        assertThat(reported).containsExactly(URL, URL + "-dlq", URL);
    }

    @Test
    void otherActionsAndRefusedSendsAreNotReported() throws Exception {
        new SqsSendReporter(request -> EdgeResponse.json(200, "{}"), reported::add)
                .handle(json("ReceiveMessage", "{\"QueueUrl\":\"" + URL + "\"}"));
        new SqsSendReporter(request -> EdgeResponse.awsJsonError(400, "QueueDoesNotExist", "no"), reported::add)
                .handle(json("SendMessage", "{\"QueueUrl\":\"" + URL + "\",\"MessageBody\":\"x\"}"));
        assertThat(reported).isEmpty();
    }
}
