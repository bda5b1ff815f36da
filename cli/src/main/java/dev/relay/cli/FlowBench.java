package dev.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import dev.relay.local.LocalCloud;
import dev.relay.local.edge.EdgeCounters;
import dev.relay.local.esm.MappingStats;
import dev.relay.local.esm.SqsEventSourceConfig;
import dev.relay.local.lambda.FunctionLogSink;
import dev.relay.local.lambda.FunctionSpec;
import dev.relay.local.sfn.StateMachine;
import dev.relay.local.sfn.StateMachineType;
import dev.relay.local.stepfunctions.Execution;
import dev.relay.local.stepfunctions.ExecutionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The local cloud end to end, pollers running: how long an SNS publish takes to reach a handler, how many signups per
 * second the onboarding fan-out sustains, and what one event of each type costs in AWS requests and Lambda time.
 * Everything goes through the edge with the AWS SDK, as a producer's requests would.
 */
final class FlowBench implements AutoCloseable {

    /** The function the publish-to-handler latency is measured on: the hello world, under another name. */
    static final String RECEIVER = "relay-bench-receiver";
    private static final String LATENCY_TOPIC = "relay-bench-latency";
    private static final String OBSERVER = "relay-bench-observer";
    /** The onboarding's last events: one of them ends each signup. */
    private static final Set<String> ONBOARDING_ENDS = Set.of("onboarding.complete", "onboarding.stuck");
    /** Longer than the template's batching window (1 s) plus a receive: nothing moved for this long = done. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(2500);

    private final LocalCloud cloud;
    private final LambdaUsage usage;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final String topic;
    private final String observer;
    /** ReceiveMessage and DeleteMessage requests this bench made itself on the edge (to subtract them). */
    private long ownReceives;
    private long ownDeletes;

    /**
     * @param usage the log sink the cloud was started with
     */
    FlowBench(LocalCloud cloud, LambdaUsage usage, String region) {
        this.cloud = cloud;
        this.usage = usage;
        this.sns = LocalCloud.client(SnsClient.builder(), cloud.edgeUrl(), region);
        this.sqs = LocalCloud.client(SqsClient.builder(), cloud.edgeUrl(), region);
        this.topic = cloud.template().resourcesOfType("AWS::SNS::Topic").stream()
                .map(t -> cloud.template().ref(t.logicalId()).orElseThrow()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the template has no SNS topic to publish to"));
        this.observer = sqs.createQueue(b -> b.queueName(OBSERVER)).queueUrl();
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(observer))
                .attributes(Map.of("RawMessageDelivery", "true", "FilterPolicy",
                        "{\"type\":[\"onboarding.complete\",\"onboarding.stuck\"]}")));
    }

    // --- publish -> handler start --------------------------------------------------------------------------------

    record Handoff(byte[] payload, long nanoTime) {
    }

    /**
     * SNS Publish (the moment before the SDK call) to the moment the function's runtime takes the SQS event from the
     * Runtime API's {@code /invocation/next}, one message at a time, through a queue subscribed with raw delivery and
     * an event source mapping with Lambda's defaults (batch size 10, no batching window) to a warm hello-world
     * function: the local cloud's own delivery latency, apart from any window a template configures. Publishes are
     * spaced 10-60 ms apart at random, so they land at every phase of the poller's loop.
     *
     * @return one latency per message, in milliseconds, after {@code warmup} unmeasured ones
     */
    List<Double> publishToHandler(FunctionSpec receiver, int warmup, int messages) throws InterruptedException {
        String latencyTopic = sns.createTopic(b -> b.name(LATENCY_TOPIC)).topicArn();
        String queue = sqs.createQueue(b -> b.queueName(LATENCY_TOPIC)).queueUrl();
        sns.subscribe(b -> b.topicArn(latencyTopic).protocol("sqs").endpoint(queueArn(queue))
                .attributes(Map.of("RawMessageDelivery", "true")));
        cloud.mappings().add(SqsEventSourceConfig.of(receiver.name(), queueArn(queue)));
        return timeDeliveries(receiver.name(), warmup, messages,
                id -> sns.publish(b -> b.topicArn(latencyTopic).message("{\"bench_id\":\"" + id + "\"}")));
    }

    /**
     * The same as {@link #publishToHandler} through the template as it is: deploy.completed events on its topic, to
     * the ops agents' queue and function, whose mapping's batching window (1 s in the template) is part of the time.
     */
    List<Double> templatePublishToHandler(String functionName, int warmup, int messages) throws IOException,
            InterruptedException {
        String sample = Files.readString(LocalRun.home().resolve("events/messages/deploy-completed.json"));
        SnsEventPublisher publisher = new SnsEventPublisher(sns, topic);
        return timeDeliveries(functionName, warmup, messages, id -> {
            try {
                publisher.publish(List.of(fresh(sample, id)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private List<Double> timeDeliveries(String functionName, int warmup, int messages,
                                        Consumer<String> publish) throws InterruptedException {
        LinkedBlockingQueue<Handoff> handoffs = new LinkedBlockingQueue<>();
        cloud.functions().addHandoffListener((function, requestId, payload, nanoTime) -> {
            if (function.equals(functionName)) {
                handoffs.add(new Handoff(payload, nanoTime));
            }
        });
        cloud.functions().prewarm(functionName);
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < warmup + messages; i++) {
            String id = "latency-" + i + "-" + UUID.randomUUID();
            long published = System.nanoTime();
            publish.accept(id);
            Handoff handoff = awaitHandoff(handoffs, functionName, id);
            if (i >= warmup) {
                latencies.add((handoff.nanoTime() - published) / 1_000_000.0);
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 60));
        }
        return latencies;
    }

    private static Handoff awaitHandoff(LinkedBlockingQueue<Handoff> handoffs, String function, String id)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Handoff handoff = handoffs.poll(100, TimeUnit.MILLISECONDS);
            if (handoff != null && new String(handoff.payload(), StandardCharsets.UTF_8).contains(id)) {
                return handoff;
            }
        }
        throw new IllegalStateException("message " + id + " did not reach " + function + " within 30 s");
    }

    // --- signups per second --------------------------------------------------------------------------------------

    /**
     * @param seconds   from the first publish to the last onboarding.complete (or .stuck) seen on the topic
     * @param completed signups that ended with onboarding.complete
     * @param stuck     signups that ended with onboarding.stuck
     * @param lambda    per function, what ran meanwhile (cold starts included)
     */
    record Throughput(int signups, double seconds, int completed, int stuck, Map<String, LambdaUsage.Use> lambda) {

        long coldStarts() {
            return lambda.values().stream().mapToLong(LambdaUsage.Use::coldStarts).sum();
        }

        double perSecond() {
            return signups / seconds;
        }
    }

    /**
     * {@code signups} customer.signup events published as fast as PublishBatch takes them (10 a request), each
     * through the four onboarding agents and the coordinator, until every one has ended (or 120 s pass).
     */
    Throughput signups(int signups) throws IOException, InterruptedException {
        String sample = Files.readString(LocalRun.home().resolve("events/messages/customer-signup.json"));
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < signups; i++) {
            events.add(fresh(sample, "signup-" + i));
        }
        Set<String> waiting = new HashSet<>(events.stream().map(Envelope::correlationId).toList());
        Map<String, LambdaUsage.Use> before = usage.snapshot();
        long begin = System.nanoTime();
        new SnsEventPublisher(sns, topic).publish(events);
        int completed = 0;
        int stuck = 0;
        long last = begin;
        long deadline = begin + TimeUnit.SECONDS.toNanos(120);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            for (Envelope end : observe()) {
                if (waiting.remove(end.correlationId())) {
                    last = System.nanoTime();
                    if (end.type().equals("onboarding.complete")) {
                        completed++;
                    } else {
                        stuck++;
                    }
                }
            }
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException(waiting.size() + " of " + signups + " signups did not end within 120 s"
                    + " (" + completed + " complete, " + stuck + " stuck; function errors meanwhile: "
                    + usage.errorsSince(before) + ")");
        }
        return new Throughput(signups, (last - begin) / 1e9, completed, stuck,
                LambdaUsage.difference(before, usage.snapshot()));
    }

    /** The onboarding ends on the observer queue (one receive, up to 1 s), deleted. */
    private List<Envelope> observe() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(observer).waitTimeSeconds(1)
                .maxNumberOfMessages(10)).messages();
        ownReceives++;
        List<Envelope> ends = new ArrayList<>();
        for (Message message : messages) {
            Envelope event = Envelope.parse(message.body());
            if (ONBOARDING_ENDS.contains(event.type())) {
                ends.add(event);
            }
            sqs.deleteMessage(b -> b.queueUrl(observer).receiptHandle(message.receiptHandle()));
            ownDeletes++;
        }
        return ends;
    }

    // --- requests per event ----------------------------------------------------------------------------------

    /**
     * What {@code events} events of one type cost, everything they caused included (fan-out, follow-ups, sagas).
     *
     * @param edge           requests counted at the edge (the functions' and the producer's), the bench's own
     *                       observer requests taken out
     * @param polling        the event source mappings' SQS requests: {@code ReceiveMessage} (those that returned
     *                       messages) and {@code DeleteMessageBatch}, and the messages they received
     * @param dynamoDbItems  items of DynamoDB's batch and transaction requests, counted at the edge
     * @param lambda         per function: invocations, billed milliseconds (without init), memory
     * @param transitions    Step Functions state transitions (states entered)
     * @param complete       whether everything settled (no batch in flight, no execution running) within the bound
     */
    record TypeCost(String eventType, String sample, int events, Map<String, Long> edge, Map<String, Long> polling,
                    Map<String, Long> dynamoDbItems, Map<String, LambdaUsage.Use> lambda, long transitions,
                    boolean complete) {

        /**
         * The SQS requests the edge does not see: the pollers' receives (that returned messages) and deletes, and
         * SNS's deliveries to the mapped queues (one per message received).
         */
        long sqsByMappings() {
            return polling.getOrDefault("sqs/ReceiveMessage", 0L) + polling.getOrDefault("sqs/DeleteMessageBatch", 0L)
                    + polling.getOrDefault("messages received", 0L);
        }

        /** All the events' billable quantities together. */
        CostModel.Usage usage() {
            long sqs = sqsByMappings() + edge.entrySet().stream().filter(e -> e.getKey().startsWith("sqs/"))
                    .mapToLong(Map.Entry::getValue).sum();
            long sns = edge.getOrDefault("sns/Publish", 0L) + edge.getOrDefault("sns/PublishBatch", 0L);
            double[] units = CostModel.dynamoDbUnits(edge, dynamoDbItems);
            return new CostModel.Usage(lambda.values().stream().mapToLong(LambdaUsage.Use::invocations).sum(),
                    lambda.values().stream().mapToDouble(LambdaUsage.Use::gbSeconds).sum(), sqs, sns, units[0],
                    units[1], transitions);
        }
    }

    /**
     * Publishes {@code events} fresh copies of a sample, one at a time and 1.5 s apart (longer than the template's
     * batching window, so each event is handled alone: the cost without batching, an upper bound), then waits until
     * the cloud is quiet and takes the difference of every counter. One more event before them warms the functions
     * up and is not counted.
     */
    TypeCost requestsPerEvent(String sampleFile, int events) throws IOException, InterruptedException {
        String sample = Files.readString(LocalRun.home().resolve(sampleFile));
        // one event first, not counted: the functions it reaches are then warm (no JVM start, no first-use SSM read)
        new SnsEventPublisher(sns, topic).publish(List.of(fresh(sample, "warm-up")));
        quiet(TimeUnit.SECONDS.toNanos(90));
        Map<String, Long> edgeBefore = cloud.edgeRequests().snapshot();
        Map<String, Long> itemsBefore = cloud.edgeRequests().dynamoDbItems();
        Map<String, Long> pollingBefore = polling();
        Map<String, LambdaUsage.Use> lambdaBefore = usage.snapshot();
        long transitionsBefore = transitions();
        long receivesBefore = ownReceives;
        long deletesBefore = ownDeletes;
        String type = null;
        for (int i = 0; i < events; i++) {
            Envelope event = fresh(sample, "cost-" + i);
            type = event.type();
            new SnsEventPublisher(sns, topic).publish(List.of(event));
            if (i < events - 1) {
                Thread.sleep(1500);
            }
        }
        boolean complete = quiet(TimeUnit.SECONDS.toNanos(90));
        Map<String, Long> edge = new TreeMap<>(EdgeCounters.difference(edgeBefore, cloud.edgeRequests().snapshot()));
        subtract(edge, "sqs/ReceiveMessage", ownReceives - receivesBefore);
        subtract(edge, "sqs/DeleteMessage", ownDeletes - deletesBefore);
        return new TypeCost(type, sampleFile, events, edge, EdgeCounters.difference(pollingBefore, polling()),
                EdgeCounters.difference(itemsBefore, cloud.edgeRequests().dynamoDbItems()), LambdaUsage.difference(lambdaBefore, usage.snapshot()), transitions() - transitionsBefore, complete);
    }

    private static void subtract(Map<String, Long> counts, String key, long own) {
        long left = counts.getOrDefault(key, 0L) - own;
        if (left > 0) {
            counts.put(key, left);
        } else {
            counts.remove(key);
        }
    }

    /**
     * Waits until nothing moves for {@link #QUIET_NANOS}: no batch in flight, no execution running, no request at
     * the edge or by a poller, no REPORT line. Onboarding ends reaching the observer are drained meanwhile.
     *
     * @return false when {@code bound} passed first
     */
    private boolean quiet(long bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound;
        Object last = null;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Map<String, Long> edge = cloud.edgeRequests().snapshot();
            edge.remove("sqs/ReceiveMessage"); // the bench's own observer polls (the functions receive nothing)
            edge.remove("sqs/DeleteMessage");
            Object now = List.of(edge, polling(), usage.invocations(), running());
            boolean busy = cloud.mappings().stats().stream().anyMatch(m -> m.inFlight() > 0) || running() > 0;
            if (busy || !now.equals(last)) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= QUIET_NANOS) {
                return true;
            }
            observe();
            Thread.sleep(100);
        }
        return false;
    }

    private Map<String, Long> polling() {
        Map<String, Long> counts = new TreeMap<>();
        for (MappingStats stats : cloud.mappings().stats()) {
            counts.merge("sqs/ReceiveMessage", stats.receiveRequests(), Long::sum);
            counts.merge("sqs/DeleteMessageBatch", stats.deleteRequests(), Long::sum);
            counts.merge("messages received", stats.messagesReceived(), Long::sum);
            counts.merge("invocations", stats.batchesInvoked(), Long::sum);
        }
        return counts;
    }

    private long running() {
        long running = 0;
        for (StateMachine machine : standardMachines()) {
            running += cloud.stepFunctions().executions(machine.arn(), ExecutionStatus.RUNNING).size();
        }
        return running;
    }

    /** States entered, over every execution of every standard state machine so far. */
    private long transitions() {
        long entered = 0;
        for (StateMachine machine : standardMachines()) {
            for (Execution execution : cloud.stepFunctions().executions(machine.arn(), null)) {
                entered += execution.history().stream().filter(e -> e.type().endsWith("StateEntered")).count();
            }
        }
        return entered;
    }

    private List<StateMachine> standardMachines() {
        return cloud.stepFunctions().stateMachines().stream()
                .filter(m -> m.type() == StateMachineType.STANDARD).toList();
    }

    /** The sample with a fresh event id (and order id): no run finds an earlier run's work and skips it. */
    private static Envelope fresh(String sample, String label) throws IOException {
        ObjectNode message = (ObjectNode) Json.MAPPER.readTree(sample);
        String id = "bench-" + label + "-" + UUID.randomUUID();
        message.put("event_id", id);
        if (message.path("payload").path("order_id").isTextual()) {
            ((ObjectNode) message.path("payload")).put("order_id", "ord_" + id);
        }
        return Envelope.parse(Json.MAPPER.writeValueAsString(message));
    }

    private String queueArn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
    }

    @Override
    public void close() {
        sns.close();
        sqs.close();
    }

    /**
     * Lambda's {@code REPORT} lines, summed per function: invocations, billed milliseconds and each invocation's
     * duration. The billed time leaves out the init phase: at scale cold starts are rare, and the cold-start part of
     * {@code relay bench} measures them on their own.
     */
    static final class LambdaUsage implements FunctionLogSink {

        private static final Pattern REPORT = Pattern.compile(
                "^REPORT RequestId: \\S+\\tDuration: ([0-9.]+) ms.*\\tMemory Size: (\\d+) MB");
        private static final String INIT = "\tInit Duration: ";
        private static final String STATUS = "\tStatus: ";

        /**
         * @param coldStarts  invocations that were an execution environment's first (their REPORT has an Init
         *                    Duration; a prewarmed environment's too)
         * @param errors      invocations that ended in an error or a timeout
         * @param durationsMs every invocation's {@code Duration}, in order
         */
        record Use(long invocations, long coldStarts, long errors, long billedMs, int memoryMb,
                   List<Double> durationsMs) {

            double gbSeconds() {
                return billedMs / 1000.0 * memoryMb / 1024.0;
            }
        }

        private final Map<String, Use> uses = new ConcurrentHashMap<>();

        @Override
        public void line(String functionName, String line) {
            Matcher report = REPORT.matcher(line);
            if (report.find()) {
                double duration = Double.parseDouble(report.group(1));
                int memory = Integer.parseInt(report.group(2));
                uses.compute(functionName, (name, use) -> {
                    List<Double> durations = new ArrayList<>(use == null ? List.of() : use.durationsMs());
                    durations.add(duration);
                    return new Use((use == null ? 0 : use.invocations()) + 1,
                            (use == null ? 0 : use.coldStarts()) + (line.contains(INIT) ? 1 : 0),
                            (use == null ? 0 : use.errors()) + (line.contains(STATUS) ? 1 : 0),
                            (use == null ? 0 : use.billedMs()) + Math.max(1, (long) Math.ceil(duration)), memory,
                            List.copyOf(durations));
                });
            }
        }

        Map<String, Use> snapshot() {
            return new TreeMap<>(uses);
        }

        long invocations() {
            return uses.values().stream().mapToLong(Use::invocations).sum();
        }

        /** Per function, the invocations since {@code before} whose REPORT line had a status (error, timeout). */
        Map<String, Long> errorsSince(Map<String, Use> before) {
            Map<String, Long> errors = new TreeMap<>();
            difference(before, snapshot()).forEach((function, use) -> {
                if (use.errors() > 0) {
                    errors.put(function, use.errors());
                }
            });
            return errors;
        }

        static Map<String, Use> difference(Map<String, Use> before, Map<String, Use> after) {
            Map<String, Use> delta = new TreeMap<>();
            after.forEach((function, use) -> {
                Use earlier = before.get(function);
                long invocations = use.invocations() - (earlier == null ? 0 : earlier.invocations());
                if (invocations > 0) {
                    int from = earlier == null ? 0 : earlier.durationsMs().size();
                    delta.put(function, new Use(invocations,
                            use.coldStarts() - (earlier == null ? 0 : earlier.coldStarts()),
                            use.errors() - (earlier == null ? 0 : earlier.errors()), use.billedMs() - (earlier == null ? 0 : earlier.billedMs()),
                            use.memoryMb(), use.durationsMs().subList(from, use.durationsMs().size())));
                }
            });
            return delta;
        }
    }
}
