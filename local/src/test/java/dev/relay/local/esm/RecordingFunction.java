package dev.relay.local.esm;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.relay.local.lambda.FunctionInvoker;
import dev.relay.local.lambda.InvocationResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The function side of a test: reads each event as a Java Lambda handler would (Lambda's own {@code SQSEvent}
 * deserializer), records it, and answers as the test says. Also tracks how many invocations overlap.
 */
final class RecordingFunction implements FunctionInvoker {

    static final PojoSerializer<SQSEvent> SQS_EVENTS =
            LambdaEventSerializers.serializerFor(SQSEvent.class, SQSEvent.class.getClassLoader());

    final String name;
    private final Function<SQSEvent, InvocationResult> behaviour;
    final List<SQSEvent> events = new CopyOnWriteArrayList<>();
    final List<String> payloads = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    RecordingFunction(String name, Function<SQSEvent, InvocationResult> behaviour) {
        this.name = name;
        this.behaviour = behaviour;
    }

    static RecordingFunction succeeding(String name) {
        return new RecordingFunction(name, event -> ok("null"));
    }

    static InvocationResult ok(String json) {
        return new InvocationResult(UUID.randomUUID().toString(), json.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    static InvocationResult error(String message) {
        String body = "{\"errorMessage\":\"" + message + "\",\"errorType\":\"java.lang.IllegalStateException\"}";
        return new InvocationResult(UUID.randomUUID().toString(), body.getBytes(StandardCharsets.UTF_8),
                Optional.of("Unhandled"));
    }

    @Override
    public InvocationResult invoke(String functionName, byte[] payload) {
        if (!functionName.equals(name)) {
            throw new dev.relay.local.lambda.UnknownFunctionException(functionName);
        }
        SQSEvent event = SQS_EVENTS.fromJson(new ByteArrayInputStream(payload));
        payloads.add(new String(payload, StandardCharsets.UTF_8));
        events.add(event);
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            return behaviour.apply(event);
        } finally {
            running.decrementAndGet();
        }
    }

    int peakConcurrency() {
        return peak.get();
    }

    List<String> bodies() {
        return events.stream().flatMap(event -> event.getRecords().stream()).map(SQSEvent.SQSMessage::getBody).toList();
    }

    List<Integer> batchSizes() {
        return events.stream().map(event -> event.getRecords().size()).toList();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
