package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.embedded.LocalPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code --data-dir}: a stopped local cloud starts again with its queues' messages (waiting, in flight, delayed) and
 * its tables' items, and the template's queue attributes win over what the directory kept.
 */
class DataDirRestartIT {

    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Visibility:
                Type: Number
                Default: 30
            Resources:
              WorkQueue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: work
                  VisibilityTimeout: !Ref Visibility
                  RedrivePolicy: {deadLetterTargetArn: !GetAtt WorkDLQ.Arn, maxReceiveCount: 3}
              WorkDLQ:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: work-dlq
              Items:
                Type: AWS::Serverless::SimpleTable
                Properties:
                  TableName: items
            """;

    @TempDir
    Path dir;

    @Test
    void messagesAndItemsSurviveARestart() throws Exception {
        Path template = Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        Path data = dir.resolve("data");
        String inFlightId;
        try (LocalCloud cloud = start(template, data, "2")) {
            SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
            String queue = sqs.getQueueUrl(b -> b.queueName("work")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("in flight"));
            inFlightId = sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages().getFirst().messageId();
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("waiting"));
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("delayed").delaySeconds(2));
            DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl());
            dynamo.putItem(b -> b.tableName("items").item(Map.of("id", AttributeValue.fromS("kept"))));
        }

        try (LocalCloud cloud = start(template, data, "1")) {
            SqsClient sqs = Clients.of(SqsClient.builder(), cloud.edgeUrl());
            String queue = sqs.getQueueUrl(b -> b.queueName("work")).queueUrl();
            assertThat(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                    .attributes()).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "1");
            List<Message> received = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (received.size() < 3 && System.nanoTime() < deadline) {
                for (Message message : sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages()) {
                    received.add(message);
                    sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
                }
            }
            assertThat(received).extracting(Message::body).containsExactlyInAnyOrder("in flight", "waiting", "delayed");
            Message inFlight = received.stream().filter(m -> m.messageId().equals(inFlightId)).findFirst().orElseThrow();
            assertThat(inFlight.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
            DynamoDbClient dynamo = Clients.of(DynamoDbClient.builder(), cloud.edgeUrl());
            assertThat(dynamo.getItem(b -> b.tableName("items").key(Map.of("id", AttributeValue.fromS("kept"))))
                    .item()).containsKey("id");
        }
    }

    private static LocalCloud start(Path template, Path data, String visibility) throws Exception {
        return LocalCloud.start(LocalCloudOptions.defaults(template).withPorts(LocalPorts.free(), 0)
                .withDataDir(java.util.Optional.of(data)).withOfflineModel(false)
                .withParameterOverrides(Map.of("Visibility", visibility)));
    }
}
