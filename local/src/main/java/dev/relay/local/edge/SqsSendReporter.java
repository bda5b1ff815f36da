package dev.relay.local.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The edge's SQS endpoint, telling of each {@code SendMessage} and {@code SendMessageBatch} it forwarded successfully
 * (by the queue URL the request named), so that the local cloud's pollers need not poll for what they can be told.
 */
public final class SqsSendReporter implements Endpoint {

    private static final Set<String> SENDS = Set.of("sqs/SendMessage", "sqs/SendMessageBatch");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoint sqs;
    private final Consumer<String> sentTo;

    /**
     * @param sqs    forwards the requests (to ElasticMQ)
     * @param sentTo told the queue URL of each successful send
     */
    public SqsSendReporter(Endpoint sqs, Consumer<String> sentTo) {
        this.sqs = sqs;
        this.sentTo = sentTo;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) throws IOException {
        EdgeResponse response = sqs.handle(request);
        if (response.status() == 200 && SENDS.contains(EdgeCounters.key(request))) {
            queueUrl(request).ifPresent(sentTo);
        }
        return response;
    }

    /** {@code QueueUrl} of an AWS JSON request, or of a query-protocol one (query string or form body). */
    static Optional<String> queueUrl(EdgeRequest request) {
        if (request.header("x-amz-target").isPresent()) {
            try {
                return Optional.ofNullable(JSON.readTree(request.body()).path("QueueUrl").textValue());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return EdgeRouter.parameter(request.rawQuery(), "QueueUrl")
                .or(() -> EdgeRouter.parameter(request.bodyText(), "QueueUrl"));
    }

    @Override
    public String toString() {
        return "reporting sends, " + sqs;
    }
}
