package dev.relay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every AWS CLI installed here, against the edge port, as the README tells users to call it. */
class AwsCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloudOptions.defaults(Path.of("..", "template.yaml")).withPorts(0, 0));
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    static List<AwsCli> clis() {
        List<AwsCli> installed = AwsCli.installed();
        assumeFalse(installed.isEmpty(), "no aws CLI on this machine (apt-get install awscli)");
        return installed;
    }

    @ParameterizedTest
    @MethodSource("clis")
    void sqsSendAndReceiveThroughTheEdge(AwsCli aws) throws Exception {
        String queue = cloud.edgeUrl() + "/000000000000/relay-ops-dlq";
        AwsCli.Result sent = aws.run(cloud.edgeUrl(), "sqs", "send-message", "--queue-url", queue,
                "--message-body", "from " + aws.version());
        assertThat(sent.exitCode()).as(sent.stderr()).isZero();
        AwsCli.Result received = aws.run(cloud.edgeUrl(), "sqs", "receive-message", "--queue-url", queue,
                "--wait-time-seconds", "2", "--visibility-timeout", "0");
        assertThat(received.exitCode()).as(received.stderr()).isZero();
        assertThat(received.stdout()).contains("from aws-cli/");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void snsPublishOfASampleFileReachesASubscribedQueue(AwsCli aws) throws Exception {
        String name = "cli-sub-" + Math.abs(aws.binary().hashCode());
        String topic = "arn:aws:sns:us-east-1:000000000000:relay-events";
        assertThat(aws.run(cloud.edgeUrl(), "sqs", "create-queue", "--queue-name", name).exitCode()).isZero();
        AwsCli.Result subscribed = aws.run(cloud.edgeUrl(), "sns", "subscribe", "--topic-arn", topic, "--protocol",
                "sqs", "--notification-endpoint", "arn:aws:sqs:us-east-1:000000000000:" + name, "--attributes",
                "{\"RawMessageDelivery\":\"true\",\"FilterPolicy\":\"{\\\"type\\\":[\\\"customer.signup\\\"]}\"}");
        assertThat(subscribed.exitCode()).as(subscribed.stderr()).isZero();
        AwsCli.Result published = aws.run(cloud.edgeUrl(), "sns", "publish", "--topic-arn", topic, "--message",
                "file://" + Path.of("..", "events", "messages", "customer-signup.json").toAbsolutePath(),
                "--message-attributes", "{\"type\":{\"DataType\":\"String\",\"StringValue\":\"customer.signup\"}}");
        assertThat(published.exitCode()).as(published.stderr()).isZero();
        assertThat(published.stdout()).contains("MessageId");
        AwsCli.Result received = aws.run(cloud.edgeUrl(), "sqs", "receive-message", "--queue-url",
                cloud.edgeUrl() + "/000000000000/" + name, "--wait-time-seconds", "2");
        assertThat(received.exitCode()).as(received.stderr()).isZero();
        assertThat(received.stdout()).contains("customer.signup").contains("user_42");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void dynamoDbTablesCanBeCreatedAndScanned(AwsCli aws) throws Exception {
        String table = "cli-" + Math.abs(aws.binary().hashCode());
        AwsCli.Result created = aws.run(cloud.edgeUrl(), "dynamodb", "create-table", "--table-name", table,
                "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(aws.run(cloud.edgeUrl(), "dynamodb", "put-item", "--table-name", table, "--item",
                "{\"pk\":{\"S\":\"k1\"}}").exitCode()).isZero();
        AwsCli.Result scan = aws.run(cloud.edgeUrl(), "dynamodb", "scan", "--table-name", table);
        assertThat(scan.exitCode()).as(scan.stderr()).isZero();
        assertThat(scan.stdout()).contains("\"k1\"").contains("\"Count\": 1");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void ssmParametersRoundTrip(AwsCli aws) throws Exception {
        String name = "/cli/" + Math.abs(aws.binary().hashCode());
        assertThat(aws.run(cloud.edgeUrl(), "ssm", "put-parameter", "--name", name, "--type", "SecureString",
                "--value", "s3cret").exitCode()).isZero();
        AwsCli.Result read = aws.run(cloud.edgeUrl(), "ssm", "get-parameter", "--name", name, "--with-decryption");
        assertThat(read.exitCode()).as(read.stderr()).isZero();
        assertThat(read.stdout()).contains("\"Value\": \"s3cret\"");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void secretsRoundTripAndTheTemplatesWebhookSecretIsReadable(AwsCli aws) throws Exception {
        String name = "cli/" + Math.abs(aws.binary().hashCode());
        AwsCli.Result created = aws.run(cloud.edgeUrl(), "secretsmanager", "create-secret", "--name", name,
                "--secret-string", "first");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(aws.run(cloud.edgeUrl(), "secretsmanager", "put-secret-value", "--secret-id", name,
                "--secret-string", "second").exitCode()).isZero();
        AwsCli.Result read = aws.run(cloud.edgeUrl(), "secretsmanager", "get-secret-value", "--secret-id", name);
        assertThat(read.exitCode()).as(read.stderr()).isZero();
        assertThat(read.stdout()).contains("\"SecretString\": \"second\"");
        AwsCli.Result webhook = aws.run(cloud.edgeUrl(), "secretsmanager", "get-secret-value", "--secret-id",
                "relay/webhook-secret", "--query", "SecretString", "--output", "text");
        assertThat(webhook.exitCode()).as(webhook.stderr()).isZero();
        assertThat(webhook.stdout().trim()).matches("[A-Za-z0-9]{48}");
    }

    @ParameterizedTest
    @MethodSource("clis")
    void stepFunctionsExecutionsStartAndShowTheirHistory(AwsCli aws) throws Exception {
        String name = "cli-greeter-" + Math.abs(aws.binary().hashCode());
        String machine = "arn:aws:states:us-east-1:000000000000:stateMachine:" + name;
        AwsCli.Result created = aws.run(cloud.edgeUrl(), "stepfunctions", "create-state-machine", "--name", name,
                "--role-arn", "arn:aws:iam::000000000000:role/cli", "--definition", """
                        {"StartAt":"Greet","States":{"Greet":{"Type":"Pass",
                          "Parameters":{"greeting.$":"States.Format('hello {}', $.who)"},"End":true}}}""");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        assertThat(created.stdout()).contains(machine);

        AwsCli.Result started = aws.run(cloud.edgeUrl(), "stepfunctions", "start-execution", "--state-machine-arn",
                machine, "--name", "from-the-cli", "--input", "{\"who\":\"cli\"}");
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        String execution = JSON.readTree(started.stdout()).path("executionArn").asText();
        assertThat(execution).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:" + name + ":from-the-cli");

        AwsCli.Result described = aws.run(cloud.edgeUrl(), "stepfunctions", "describe-execution", "--execution-arn",
                execution);
        for (int attempt = 0; attempt < 20 && described.stdout().contains("RUNNING"); attempt++) {
            Thread.sleep(100);
            described = aws.run(cloud.edgeUrl(), "stepfunctions", "describe-execution", "--execution-arn", execution);
        }
        assertThat(described.exitCode()).as(described.stderr()).isZero();
        assertThat(JSON.readTree(described.stdout()).path("status").asText()).isEqualTo("SUCCEEDED");

        AwsCli.Result history = aws.run(cloud.edgeUrl(), "stepfunctions", "get-execution-history",
                "--execution-arn", execution);
        assertThat(history.exitCode()).as(history.stderr()).isZero();
        JsonNode events = JSON.readTree(history.stdout()).path("events");
        assertThat(events.findValuesAsText("type")).containsExactly("ExecutionStarted", "PassStateEntered",
                "PassStateExited", "ExecutionSucceeded");
        assertThat(JSON.readTree(events.get(3).at("/executionSucceededEventDetails/output").asText()))
                .isEqualTo(JSON.readTree("{\"greeting\":\"hello cli\"}"));

        AwsCli.Result missing = aws.run(cloud.edgeUrl(), "stepfunctions", "describe-execution", "--execution-arn",
                execution + "-missing");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("ExecutionDoesNotExist");
    }
}
