package dev.relay.local.faults;

import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import dev.relay.local.lambda.InvocationFaults;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults the local cloud injects on purpose, to show what Relay does under them: DynamoDB throttling at the edge,
 * rate limits, server errors and timeouts in front of the offline model, and function environments that crash or
 * time out part-way through an invocation. Given to {@code LocalCloudOptions.withFaults}; the functions' code knows
 * nothing of it. Random but seeded; {@link #pause()} stops every fault (e.g. while a test checks the outcome), and
 * {@link #injected()} counts what was injected.
 */
public final class FaultInjection {

    /** What was injected. */
    public enum Kind {
        DYNAMODB_THROTTLE, MODEL_RATE_LIMIT, MODEL_SERVER_ERROR, MODEL_TIMEOUT, FUNCTION_CRASH, FUNCTION_TIMEOUT
    }

    /**
     * Probabilities per request or invocation.
     *
     * @param dynamoDbThrottle   a DynamoDB request at the edge is answered {@code ProvisionedThroughputExceededException}
     * @param modelRateLimit     a chat completion is answered 429 with a short {@code retry-after-ms}
     * @param modelServerError   a chat completion is answered 500
     * @param modelTimeout       a chat completion hangs for {@code modelHang}, then 504 (the client gave up long before)
     * @param functionCrash      an invocation's JVM is killed at a random point of its first {@code midInvocation}
     * @param functionTimeout    an invocation times out at a random point of its first {@code midInvocation}
     * @param modelHang          how long a timed-out model call hangs: longer than the functions' model timeout
     * @param midInvocation      the window after the runtime took an invocation in which a crash or timeout lands
     */
    public record Rates(double dynamoDbThrottle, double modelRateLimit, double modelServerError, double modelTimeout,
                        double functionCrash, double functionTimeout, Duration modelHang, Duration midInvocation) {

        public Rates {
            for (double rate : new double[] {dynamoDbThrottle, modelRateLimit, modelServerError, modelTimeout,
                    functionCrash, functionTimeout}) {
                if (rate < 0 || rate > 1) {
                    throw new IllegalArgumentException("a fault rate is a probability in [0, 1], not " + rate);
                }
            }
            if (modelRateLimit + modelServerError + modelTimeout > 1 || functionCrash + functionTimeout > 1) {
                throw new IllegalArgumentException("the model's (or the functions') fault rates add up to more than 1");
            }
            Objects.requireNonNull(modelHang, "modelHang");
            Objects.requireNonNull(midInvocation, "midInvocation");
        }
    }

    private static final String THROTTLED = "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";

    private final Rates rates;
    private final Random random;
    private final Map<Kind, AtomicLong> injected = new EnumMap<>(Kind.class);
    private volatile boolean paused;
    private volatile long modelOutageUntil;
    private final AtomicLong modelAnswers = new AtomicLong();

    public FaultInjection(Rates rates, long seed) {
        this.rates = Objects.requireNonNull(rates, "rates");
        this.random = new Random(seed);
        for (Kind kind : Kind.values()) {
            injected.put(kind, new AtomicLong());
        }
    }

    /** No more faults until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /** For {@code length}, every chat completion is answered 500 (a provider outage), whatever the rates say. */
    public void modelOutage(Duration length) {
        modelOutageUntil = System.nanoTime() + length.toNanos();
    }

    /** How many faults of each kind were injected so far. */
    public Map<Kind, Long> injected() {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        injected.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }

    /** Chat completions the model answered (what a provider would charge for). */
    public long modelAnswers() {
        return modelAnswers.get();
    }

    public long total() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** DynamoDB behind the edge, throttled at {@link Rates#dynamoDbThrottle()}. */
    public Endpoint dynamoDb(Endpoint next) {
        return request -> {
            if (roll() < rates.dynamoDbThrottle()) {
                count(Kind.DYNAMODB_THROTTLE);
                return EdgeResponse.awsJsonError(400, THROTTLED, "The level of configured provisioned throughput for "
                        + "the table was exceeded. (injected by the local cloud)");
            }
            return next.handle(request);
        };
    }

    /** The model behind the edge: chat completions fail at the model rates, or all of them during an outage. */
    public Endpoint model(Endpoint next) {
        return request -> {
            if (!"POST".equals(request.method()) || !request.path().endsWith("/chat/completions")) {
                return next.handle(request);
            }
            if (!paused && System.nanoTime() < modelOutageUntil) {
                count(Kind.MODEL_SERVER_ERROR);
                return openAiError(500, "server_error", "The server had an error (injected outage)");
            }
            double roll = roll();
            if (roll < rates.modelRateLimit()) {
                count(Kind.MODEL_RATE_LIMIT);
                return new EdgeResponse(429, Map.of("Content-Type", "application/json", "retry-after-ms", "200"),
                        openAiError(429, "requests", "Rate limit reached (injected)").body());
            }
            if (roll < rates.modelRateLimit() + rates.modelServerError()) {
                count(Kind.MODEL_SERVER_ERROR);
                return openAiError(500, "server_error", "The server had an error (injected)");
            }
            if (roll < rates.modelRateLimit() + rates.modelServerError() + rates.modelTimeout()) {
                count(Kind.MODEL_TIMEOUT);
                try {
                    Thread.sleep(rates.modelHang());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return openAiError(504, "timeout", "The model did not answer in time (injected)");
            }
            EdgeResponse answer = next.handle(request);
            if (answer.status() == 200) {
                modelAnswers.incrementAndGet();
            }
            return answer;
        };
    }

    /** Crashes and timeouts part-way through invocations, for the local Lambda service. */
    public InvocationFaults invocations() {
        return function -> {
            double roll = roll();
            InvocationFaults.Fault.Kind kind;
            if (roll < rates.functionCrash()) {
                kind = InvocationFaults.Fault.Kind.CRASH;
                count(Kind.FUNCTION_CRASH);
            } else if (roll < rates.functionCrash() + rates.functionTimeout()) {
                kind = InvocationFaults.Fault.Kind.TIMEOUT;
                count(Kind.FUNCTION_TIMEOUT);
            } else {
                return Optional.empty();
            }
            long after;
            synchronized (random) {
                after = (long) (random.nextDouble() * rates.midInvocation().toMillis());
            }
            return Optional.of(new InvocationFaults.Fault(kind, Duration.ofMillis(after)));
        };
    }

    /** A uniform draw in [0, 1), or 1 (no fault) while paused. */
    private double roll() {
        if (paused) {
            return 1;
        }
        synchronized (random) {
            return random.nextDouble();
        }
    }

    private void count(Kind kind) {
        injected.get(kind).incrementAndGet();
    }

    private static EdgeResponse openAiError(int status, String type, String message) {
        String body = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":null}}";
        return EdgeResponse.json(status, body);
    }
}
