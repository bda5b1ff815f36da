package dev.relay.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.embedded.DynamoDbLocalService;
import dev.relay.local.dynamodb.TableProvisioner;
import dev.relay.local.edge.AwsService;
import dev.relay.local.edge.EdgeCounters;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.EdgeRouter;
import dev.relay.local.edge.EdgeServer;
import dev.relay.local.faults.FaultInjection;
import dev.relay.local.lambda.InvocationFaults;
import dev.relay.embedded.LocalPorts;
import dev.relay.local.edge.Endpoint;
import dev.relay.local.edge.ProxyEndpoint;
import dev.relay.local.edge.SqsSendReporter;
import dev.relay.local.sns.SnsEndpoint;
import dev.relay.local.sns.SnsEnvelope;
import dev.relay.local.sns.SnsService;
import dev.relay.local.sns.SqsQueueSender;
import dev.relay.local.sns.TopicProvisioner;
import dev.relay.embedded.ElasticMqService;
import dev.relay.local.sqs.QueueProvisioner;
import dev.relay.local.api.HttpApiEndpoint;
import dev.relay.local.api.Routes;
import dev.relay.local.esm.EventSourceMappings;
import dev.relay.local.esm.QueueSignals;
import dev.relay.local.esm.InvalidMappingException;
import dev.relay.local.esm.SqsEventSourceConfig;
import dev.relay.local.esm.TemplateMappings;
import dev.relay.local.lambda.FunctionSpec;
import dev.relay.local.lambda.LambdaEndpoint;
import dev.relay.local.lambda.LambdaService;
import dev.relay.local.lambda.TemplateFunctions;
import dev.relay.local.secretsmanager.SecretProvisioner;
import dev.relay.local.secretsmanager.SecretStore;
import dev.relay.local.secretsmanager.SecretsManagerEndpoint;
import dev.relay.local.sfn.ServiceIntegrations;
import dev.relay.local.sfn.StepFunctionsEndpoint;
import dev.relay.local.sfn.StepFunctionsService;
import dev.relay.local.sfn.TemplateStateMachines;
import dev.relay.local.ssm.ParameterStore;
import dev.relay.local.ssm.SsmEndpoint;
import dev.relay.local.stepfunctions.EngineClock;
import dev.relay.local.template.DefaultPhysicalIds;
import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.StackContext;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import dev.relay.offline.OfflineModel;
import dev.relay.offline.OfflineResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A running local cloud: the template's resources on embedded services behind one edge port. Start it with
 * {@link #start(LocalCloudOptions)}; {@link #close()} stops everything it started, in reverse order.
 */
public final class LocalCloud implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(LocalCloud.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalCloudOptions options;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Template template;
    private EdgeServer edge;
    private EdgeServer httpApi;
    private SqsClient sqs;
    private LambdaService functions;
    private EventSourceMappings mappings;
    /** Sends to queues, as SNS and the edge report them: pollers in a batching window wait for them. */
    private final QueueSignals queueSignals = new QueueSignals();
    private StepFunctionsService stepFunctions;
    private final ParameterStore parameters = new ParameterStore();
    private final SecretStore secrets = new SecretStore();
    private final EdgeCounters edgeRequests = new EdgeCounters();
    private Duration startup;

    private LocalCloud(LocalCloudOptions options) {
        this.options = options;
    }

    /**
     * Loads the template, starts the services, creates the resources and returns when everything is ready.
     *
     * @throws TemplateException naming the resource and property when the template cannot run
     */
    public static LocalCloud start(LocalCloudOptions options) throws TemplateException {
        long begin = System.nanoTime();
        LocalCloud cloud = new LocalCloud(options);
        try {
            cloud.boot();
        } catch (TemplateException | RuntimeException | Error e) {
            cloud.close();
            throw e;
        }
        cloud.startup = Duration.ofNanos(System.nanoTime() - begin);
        return cloud;
    }

    private void boot() throws TemplateException {
        int edgePort = options.edgePort() == 0 ? LocalPorts.free() : options.edgePort();
        int httpApiPort = options.httpApiPort() == 0 ? LocalPorts.free() : options.httpApiPort();
        String edgeUrl = "http://127.0.0.1:" + edgePort;
        StackContext stack = StackContext.of(options.stackName(), options.region(), options.accountId())
                .withParameterOverrides(options.parameterOverrides());
        template = Template.load(options.template(), stack,
                new DefaultPhysicalIds(edgeUrl, "http://127.0.0.1:" + httpApiPort));

        // The emulators start in parallel: each spends about a second loading classes.
        CompletableFuture<ElasticMqService> sqsService = CompletableFuture.supplyAsync(
                () -> ElasticMqService.start(edgeUrl, options.region(), options.accountId(), options.dataDir()));
        CompletableFuture<DynamoDbLocalService> dynamoService = CompletableFuture.supplyAsync(
                () -> DynamoDbLocalService.start(options.dataDir()));
        CompletableFuture.allOf(sqsService, dynamoService).exceptionally(failure -> null).join();
        sqsService.thenAccept(started::push);
        dynamoService.thenAccept(started::push);
        ElasticMqService elasticMq = joined(sqsService);
        DynamoDbLocalService dynamoDb = joined(dynamoService);

        sqs = client(SqsClient.builder(), elasticMq.endpoint().toString(), options.region());
        started.push(sqs);
        new QueueProvisioner(sqs).create(template.resourcesOfType(ResourceTypes.SQS_QUEUE));
        new TableProvisioner(dynamoDb.endpoint(), options.region()).create(tables());
        options.parameters().forEach((name, value) -> parameters.put(name, "SecureString", value, true));
        new SecretProvisioner(secrets).create(template);
        functions = new LambdaService(LambdaService.Settings.defaults(options.region(), options.accountId())
                .withLogSink(options.logSink())
                .withFaults(options.faults().map(FaultInjection::invocations).orElse(InvocationFaults.NONE)));
        started.push(functions);
        for (FunctionSpec function : TemplateFunctions.of(template, Map.of("AWS_ENDPOINT_URL", edgeUrl))) {
            functions.register(options.concurrencyLimit() == 0 ? function
                    : function.withMaxConcurrency(Math.min(function.maxConcurrency(), options.concurrencyLimit())));
        }
        SqsQueueSender queueSender = new SqsQueueSender(sqs);
        SnsService sns = new SnsService(options.region(), options.accountId(), message -> {
            queueSender.send(message);
            queueSignals.sent(QueueSignals.queueName(message.queueArn()));
        }, functions, new SnsEnvelope(edgeUrl));
        started.push(sns);
        new TopicProvisioner(sns).create(template);
        // State machines after the functions, topics, queues and tables their tasks call.
        stepFunctions = new StepFunctionsService(options.region(), options.accountId(), new ServiceIntegrations(
                functions, sns, elasticMq.endpoint(), dynamoDb.endpoint(), options.region()),
                EngineClock.accelerated(options.timeScale()));
        started.push(stepFunctions);
        TemplateStateMachines.create(template, stepFunctions);

        Map<AwsService, Endpoint> services = new EnumMap<>(AwsService.class);
        services.put(AwsService.SQS, new SqsSendReporter(new ProxyEndpoint(elasticMq.endpoint()),
                url -> queueSignals.sent(QueueSignals.queueName(url))));
        services.put(AwsService.DYNAMODB, injected(new ProxyEndpoint(dynamoDb.endpoint()), FaultInjection::dynamoDb));
        services.put(AwsService.SNS, new SnsEndpoint(sns));
        services.put(AwsService.LAMBDA, new LambdaEndpoint(functions));
        services.put(AwsService.SSM, new SsmEndpoint(parameters, options.region(), options.accountId()));
        services.put(AwsService.SECRETS_MANAGER, new SecretsManagerEndpoint(secrets, options.region(), options.accountId()));
        services.put(AwsService.STEP_FUNCTIONS, new StepFunctionsEndpoint(stepFunctions));
        if (options.offlineModel()) {
            OfflineModel model = new OfflineModel();
            services.put(AwsService.MODEL, injected(request -> {
                OfflineResponse answer = model.handle(request.method(), request.path(), request.body());
                return new EdgeResponse(answer.status(), answer.headers(), answer.body());
            }, FaultInjection::model));
        }
        edge = EdgeServer.start(new InetSocketAddress("127.0.0.1", edgePort),
                edgeRequests.counting(new EdgeRouter(services,
                        request -> EdgeResponse.json(200, index(services.keySet())))));
        started.push(edge);

        Routes routes = Routes.of(template);
        if (!routes.all().isEmpty()) {
            httpApi = EdgeServer.start(new InetSocketAddress("127.0.0.1", httpApiPort),
                    new HttpApiEndpoint(routes, functions, options.accountId()));
            started.push(httpApi);
        }
        // Pollers last: everything they feed (functions, and what functions call on the edge) is up.
        mappings = new EventSourceMappings(sqs, functions, queueSignals);
        started.push(mappings);
        for (SqsEventSourceConfig mapping : TemplateMappings.of(template)) {
            try {
                mappings.add(options.concurrencyLimit() == 0 ? mapping : mapping.withMaximumConcurrency(
                        Math.min(mapping.maximumConcurrency(), options.concurrencyLimit())));
            } catch (InvalidMappingException e) {
                throw new TemplateException("event source of " + mapping.functionName(), e.getMessage());
            }
        }
        mappings.start();
    }

    /** The endpoint with the faults configured for it in front, or as it is. */
    private Endpoint injected(Endpoint endpoint, BiFunction<FaultInjection, Endpoint, Endpoint> faults) {
        return options.faults().map(injection -> faults.apply(injection, endpoint)).orElse(endpoint);
    }

    private List<Resource> tables() {
        return template.resources().stream().filter(r -> ResourceTypes.TABLES.contains(r.type())).toList();
    }

    private String index(java.util.Set<AwsService> services) {
        ObjectNode index = JSON.createObjectNode().put("edge", edgeUrl()).put("stack", options.stackName());
        ArrayNode running = index.putArray("services");
        services.forEach(service -> running.add(service.signingName()));
        ArrayNode resources = index.putArray("resources");
        template.resources().forEach(resource -> resources.addObject().put("logicalId", resource.logicalId())
                .put("type", resource.type()).put("physicalName", resource.physicalName()));
        ArrayNode notEmulated = index.putArray("notEmulated");
        template.notEmulated().forEach(resource -> notEmulated.addObject().put("logicalId", resource.logicalId())
                .put("type", resource.type()));
        return index.toString();
    }

    public Template template() {
        return template;
    }

    /** {@code http://127.0.0.1:<edge port>}: the endpoint URL for the AWS CLI and SDKs. */
    public String edgeUrl() {
        return edge.baseUrl();
    }

    /** Where HTTP API routes are served, when the template has any. */
    public Optional<String> httpApiUrl() {
        return Optional.ofNullable(httpApi).map(EdgeServer::baseUrl);
    }

    /** The requests the edge has served, per service and action (what an event costs in AWS requests). */
    public EdgeCounters edgeRequests() {
        return edgeRequests;
    }

    /** The functions, to invoke or inspect directly. */
    public LambdaService functions() {
        return functions;
    }

    /** The running SQS event source mappings, with their counters. */
    public EventSourceMappings mappings() {
        return mappings;
    }

    /** Step Functions: the template's state machines and their executions. */
    public StepFunctionsService stepFunctions() {
        return stepFunctions;
    }

    /** From {@link #start} being called to everything being ready. */
    public Duration startup() {
        return startup;
    }

    /** The SSM parameters functions read their secrets from. */
    public ParameterStore parameters() {
        return parameters;
    }

    /** The Secrets Manager secrets functions read (the template's, generated locally, and any created on the edge). */
    public SecretStore secrets() {
        return secrets;
    }

    /** Stops everything that was started, newest first; safe to call twice and from a shutdown hook. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * An AWS SDK client for a local endpoint (the edge, or an emulator directly): any credentials work locally, and
     * the url-connection HTTP client keeps the process small.
     */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder,
                                                                                          String endpoint,
                                                                                          String region) {
        return builder.endpointOverride(java.net.URI.create(endpoint)).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("relaylocal",
                        "relaylocal")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
