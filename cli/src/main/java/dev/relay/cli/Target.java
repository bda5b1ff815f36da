package dev.relay.cli;

import dev.relay.core.audit.AuditTable;
import dev.relay.core.audit.AuditTrail;
import dev.relay.local.LocalCloud;
import dev.relay.local.LocalCloudOptions;
import dev.relay.local.template.DefaultPhysicalIds;
import dev.relay.local.template.StackContext;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a command acts, and what things are called there. Both kinds of target name their resources the same way:
 * through the stack's Outputs ({@code EventsTopicArn}, {@code AuditTableName}, ...) and Parameters, which template.yaml
 * declares once. For the local cloud they come from the template, resolved as the local cloud resolves it (so
 * {@code --local} needs nothing from the running cloud but its edge URL); for a deployed stack, from CloudFormation's
 * {@code DescribeStacks}. SDK clients are made on first use and closed with the target.
 */
final class Target implements AutoCloseable {

    static final String EVENTS_TOPIC = "EventsTopicArn";
    static final String AUDIT_TABLE = "AuditTableName";
    static final String IDEMPOTENCY_TABLE = "IdempotencyTableName";
    static final String APPROVALS_TABLE = "ApprovalsTableName";
    static final String ORDER_SAGA = "OrderSagaArn";
    /** Every output whose key ends so is a dead-letter queue's URL ({@code relay dlq} lists them). */
    static final String DEAD_LETTER_QUEUE_SUFFIX = "DeadLetterQueueUrl";

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    /** The local cloud does not throttle: a refused connection means it is not running, and retrying 9 times is slow. */
    private static final RetryStrategy LOCAL_RETRIES = AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(2).build();

    private final String description;
    private final Map<String, String> outputs;
    private final Map<String, String> parameters;
    private final Optional<String> edge;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Deque<SdkClient> clients = new ArrayDeque<>();
    private SnsClient sns;
    private SqsClient sqs;
    private DynamoDbClient dynamo;
    private SfnClient sfn;

    private Target(String description, Map<String, String> outputs, Map<String, String> parameters,
            Optional<String> edge, Region region, AwsCredentialsProvider credentials) {
        this.description = description;
        this.outputs = Map.copyOf(outputs);
        this.parameters = Map.copyOf(parameters);
        this.edge = edge;
        this.region = region;
        this.credentials = credentials;
    }

    /** The local cloud whose edge is at {@code edgeUrl}, running {@code template} (as {@code relay up} does). */
    static Target local(String edgeUrl, Path template) throws TemplateException {
        Template resolved = Template.load(template, StackContext.of(LocalCloudOptions.DEFAULT_STACK,
                LocalCloudOptions.DEFAULT_REGION, LocalCloudOptions.DEFAULT_ACCOUNT),
                new DefaultPhysicalIds(edgeUrl, DefaultPhysicalIds.LOCAL_HTTP_API));
        Map<String, String> outputs = new LinkedHashMap<>();
        resolved.outputs().forEach((key, output) -> outputs.put(key, String.valueOf(output.value())));
        return new Target("the local cloud at " + edgeUrl, outputs, resolved.parameters(), Optional.of(edgeUrl),
                Region.of(LocalCloudOptions.DEFAULT_REGION), null);
    }

    /** A deployed stack, with the standard AWS credential chain, in {@code region} or the standard chain's region. */
    static Target stack(String name, Optional<String> region) {
        Region resolved = region.map(Region::of).orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion());
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        Stack stack;
        try (CloudFormationClient cloudFormation = CloudFormationClient.builder().region(resolved)
                .credentialsProvider(credentials).httpClient(HTTP).build()) {
            stack = cloudFormation.describeStacks(b -> b.stackName(name)).stacks().getFirst();
        } catch (CloudFormationException e) {
            if (String.valueOf(e.getMessage()).contains("does not exist")) {
                throw CommandException.notFound("no stack " + name + " in " + resolved
                        + " (aws cloudformation list-stacks shows them; give --region for another region)");
            }
            throw e;
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        stack.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        Map<String, String> parameters = new LinkedHashMap<>();
        stack.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
        return new Target("stack " + name + " in " + resolved, outputs, parameters, Optional.empty(), resolved,
                credentials);
    }

    /** For messages: "the local cloud at http://127.0.0.1:4566", "stack relay in eu-west-1". */
    String description() {
        return description;
    }

    String eventsTopicArn() {
        return output(EVENTS_TOPIC);
    }

    String orderSagaArn() {
        return output(ORDER_SAGA);
    }

    String approvalsTable() {
        return output(APPROVALS_TABLE);
    }

    AuditTable auditTable() {
        return new AuditTable(dynamo(), output(AUDIT_TABLE), output(IDEMPOTENCY_TABLE));
    }

    AuditTrail auditTrail() {
        return new AuditTrail(auditTable());
    }

    /** The dead-letter queues' URLs, in the order the outputs name them. */
    List<String> deadLetterQueueUrls() {
        return outputs.entrySet().stream().filter(o -> o.getKey().endsWith(DEAD_LETTER_QUEUE_SUFFIX))
                .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    Optional<String> optionalOutput(String key) {
        return Optional.ofNullable(outputs.get(key)).filter(value -> !value.isBlank());
    }

    String output(String key) {
        String value = outputs.get(key);
        if (value == null || value.isBlank()) {
            throw CommandException.failure(description + " has no output " + key + ": "
                    + (edge.isPresent() ? "give --template FILE with the template the local cloud runs"
                    : "deploy the current template.yaml (sam build && sam deploy)"));
        }
        return value;
    }

    synchronized SnsClient sns() {
        return sns == null ? sns = client(SnsClient.builder()) : sns;
    }

    synchronized SqsClient sqs() {
        return sqs == null ? sqs = client(SqsClient.builder()) : sqs;
    }

    synchronized DynamoDbClient dynamo() {
        return dynamo == null ? dynamo = client(DynamoDbClient.builder()) : dynamo;
    }

    synchronized SfnClient sfn() {
        return sfn == null ? sfn = client(SfnClient.builder()) : sfn;
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient> C client(B builder) {
        C client = edge.isPresent()
                ? LocalCloud.client(builder.overrideConfiguration(o -> o.retryStrategy(LOCAL_RETRIES)), edge.get(),
                        region.id())
                : builder.region(region).credentialsProvider(credentials).httpClient(HTTP).build();
        clients.push(client);
        return client;
    }

    @Override
    public synchronized void close() {
        while (!clients.isEmpty()) {
            clients.pop().close();
        }
    }
}
