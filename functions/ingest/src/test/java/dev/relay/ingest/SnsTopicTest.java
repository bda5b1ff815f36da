package dev.relay.ingest;

import static dev.relay.ingest.Fixture.body;
import static dev.relay.ingest.Fixture.request;
import static dev.relay.ingest.Fixture.structured;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** How SNS's failures are answered: throttling is 429, an unavailable topic 503, and neither reports anything accepted. */
class SnsTopicTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:relay-events";
    private static final String EVENT = """
            {"specversion":"1.0","id":"e-1","source":"urn:test","type":"test.happened","data":{}}""";

    private final Fixture fixture = new Fixture();

    @Test
    void aThrottledTopicIs429WithRetryAfterAndTheIdStaysFree() {
        IngestFunction throttled = fixture.function(new SnsTopic(FailingSns.answering(429,
                FailingSns.error("Throttled", "Sender")), TOPIC));

        APIGatewayV2HTTPResponse response = throttled.handleRequest(request("POST /events", structured(), EVENT), null);

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(body(response).get("detail").asText()).contains("throttling");
        assertThat(fixture.post(request("POST /events", structured(), EVENT)).getStatusCode())
                .as("the retry publishes").isEqualTo(202);
    }

    @Test
    void aTopicThatIsGoneOrWhoseKeyIsDisabledIs503() {
        for (String code : new String[] {"NotFound", "KMSDisabled", "AuthorizationError", "InternalError"}) {
            IngestFunction broken = fixture.function(new SnsTopic(FailingSns.answering(code.equals("InternalError")
                    ? 500 : 400, FailingSns.error(code, code.equals("InternalError") ? "Receiver" : "Sender")), TOPIC));

            APIGatewayV2HTTPResponse response = broken.handleRequest(request("POST /events", structured(), EVENT), null);

            assertThat(response.getStatusCode()).as(code).isEqualTo(503);
            assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        }
        assertThat(fixture.queue.depth()).isZero();
    }

    @Test
    void aBatchSnsPublishedInPartIsAnsweredPerEvent() {
        IngestFunction partial = fixture.function(new SnsTopic(FailingSns.answering(200, """
                <PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult>
                <Successful><member><Id>0</Id><MessageId>m-0</MessageId></member></Successful>
                <Failed><member><Id>1</Id><Code>InternalError</Code><Message>try again</Message>
                <SenderFault>false</SenderFault></member></Failed>
                </PublishBatchResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishBatchResponse>
                """), TOPIC));
        String batch = "[" + EVENT + "," + EVENT.replace("e-1", "e-2") + "]";

        APIGatewayV2HTTPResponse response = partial.handleRequest(request("POST /events:batch", Fixture.json(), batch), null);

        assertThat(response.getStatusCode()).isEqualTo(207);
        JsonNode body = body(response);
        assertThat(body.at("/results/0/status").asText()).isEqualTo("accepted");
        assertThat(body.at("/results/1/status").asText()).isEqualTo("failed");
        assertThat(body.at("/results/1/code").asInt()).isEqualTo(503);
        // e-1 is recorded as accepted, e-2 is free again: a retry of the whole batch publishes e-2 only.
        JsonNode retried = body(fixture.post(request("POST /events:batch", Fixture.json(), batch)));
        assertThat(retried.get("accepted").asInt()).isEqualTo(2);
        assertThat(fixture.queue.drain()).hasSize(1);
    }
}
