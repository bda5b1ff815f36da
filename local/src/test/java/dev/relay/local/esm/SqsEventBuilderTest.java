package dev.relay.local.esm;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The event's shape, record by record, without a queue. */
class SqsEventBuilderTest {

    private static final QueueArn FIFO = QueueArn.parse("arn:aws:sqs:eu-west-1:123456789012:orders.fifo", "Queue");

    private static Message fifoMessage(String id, String body) {
        return Message.builder()
                .messageId(id).receiptHandle("rh-" + id).body(body).md5OfBody("md5-" + id)
                .attributesWithStrings(Map.of(
                        "ApproximateReceiveCount", "1", "SentTimestamp", "1573251510774", "SequenceNumber", "1884949646",
                        "MessageGroupId", "order-7", "SenderId", "AIDAIO23YVJENQZJOL4VO",
                        "MessageDeduplicationId", "dedup-" + id, "ApproximateFirstReceiveTimestamp", "1573251510774"))
                .build();
    }

    @Test
    void fifoRecordsCarryTheFifoAttributesInLambdasOrderAndNoAttributeDigestWithoutAttributes() throws Exception {
        byte[] event = new SqsEventBuilder(FIFO).event(List.of(fifoMessage("m1", "one"), fifoMessage("m2", "two")));

        JsonNode records = new ObjectMapper().readTree(event).get("Records");
        assertThat(records).hasSize(2);
        JsonNode first = records.get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("messageId", "receiptHandle", "body", "attributes",
                "messageAttributes", "md5OfBody", "eventSource", "eventSourceARN", "awsRegion");
        assertThat(first.get("attributes").fieldNames()).toIterable().containsExactly("ApproximateReceiveCount",
                "SentTimestamp", "SequenceNumber", "MessageGroupId", "SenderId", "MessageDeduplicationId",
                "ApproximateFirstReceiveTimestamp");
        assertThat(first.get("messageAttributes").isEmpty()).isTrue();
        assertThat(first.get("eventSourceARN").asText()).isEqualTo(FIFO.toString());
        assertThat(first.get("awsRegion").asText()).isEqualTo("eu-west-1");
        assertThat(records.get(1).get("body").asText()).isEqualTo("two");
    }

    @Test
    void listAttributeValuesAreCarriedAndBinaryIsBase64() {
        Message message = fifoMessage("m1", "x").toBuilder()
                .md5OfMessageAttributes("attrs-md5")
                .messageAttributes(Map.of("list", MessageAttributeValue.builder().dataType("Binary")
                        .binaryListValues(List.of(SdkBytes.fromUtf8String("a"), SdkBytes.fromUtf8String("b")))
                        .stringListValues(List.of("s")).build()))
                .build();

        SQSEvent event = RecordingFunction.SQS_EVENTS.fromJson(
                new ByteArrayInputStream(new SqsEventBuilder(FIFO).event(List.of(message))));

        SQSEvent.SQSMessage record = event.getRecords().getFirst();
        assertThat(record.getMd5OfMessageAttributes()).isEqualTo("attrs-md5");
        SQSEvent.MessageAttribute list = record.getMessageAttributes().get("list");
        assertThat(list.getStringListValues()).containsExactly("s");
        assertThat(list.getBinaryListValues()).containsExactly(ByteBuffer.wrap("a".getBytes()), ByteBuffer.wrap("b".getBytes()));
        assertThat(record.getAttributes()).containsEntry("MessageGroupId", "order-7");
    }
}
