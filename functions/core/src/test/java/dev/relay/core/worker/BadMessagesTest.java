package dev.relay.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.EventData;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.agent.Router;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.LocalDynamo;
import dev.relay.core.event.Envelope;
import dev.relay.core.llm.LanguageModel;
import dev.relay.core.observe.EventMetrics;
import dev.relay.core.worker.EmbeddedSqs.Queue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A corpus of bad queue messages through the real worker, redelivery and audited pipeline on ElasticMQ and DynamoDB
 * Local: each one lands in the DLQ on its first receive with a reason naming what is wrong, and none reaches the agent
 * or the topic. (HTTP ingestion has its own corpus of 50 bad requests in the ingest module; the local cloud's BadInputIT
 * sends the shared part of this corpus through SNS and SQS to the deployed agents.)
 */
class BadMessagesTest {

    /**
     * The bodies no agent can take, shared with the local cloud's BadInputIT: each with what the dead-letter reason must
     * start with.
     */
    static final Path SHARED_CORPUS = Path.of("..", "..", "events", "bad", "queue-bodies.json");

    /** Body, then what the dead-letter reason must start with: the shared corpus, then what only this agent refuses. */
    static final List<String[]> CORPUS = corpus();

    private static List<String[]> corpus() {
        List<String[]> corpus = new ArrayList<>();
        try {
            for (JsonNode row : Json.MAPPER.readTree(SHARED_CORPUS.toFile())) {
                corpus.add(new String[] {row.get("body").asText(), row.get("reason").asText()});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        corpus.add(new String[] {"{\"event_type\":\"refund.requested\",\"payload\":{}}", "data.order_id: required"});
        corpus.add(new String[] {"{\"event_type\":\"refund.requested\",\"payload\":{\"order_id\":7}}", "data.order_id: required"});
        corpus.add(new String[] {"{\"event_type\":\"refund.requested\",\"payload\":{\"order_id\":\"\"}}", "data.order_id: required"});
        return List.copyOf(corpus);
    }

    private static EmbeddedSqs sqs;
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<Envelope> published = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        sqs = new EmbeddedSqs();
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private final Agent refunds = new Agent() {
        @Override
        public String id() {
            return "refund-desk";
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("refund.requested");
        }

        @Override
        public Set<String> actions() {
            return Set.of("refund_approved");
        }

        @Override
        public Set<String> followUpTypes() {
            return Set.of("refund.approved");
        }

        @Override
        public Outcome handle(Envelope event, AgentContext context) {
            String order = EventData.requiredText(event.data(), "order_id");
            handled.add(order);
            return Outcome.of(Decision.of("refund_approved", Json.object()), FollowUp.of("refund.approved",
                    Json.object().put("order_id", order)));
        }
    };

    private final LanguageModel noModel = new NoModel();

    @Test
    void everyBadMessageIsDeadLetteredAtOnceWithItsReasonAndNothingReachesTheAgent() {
        Queue dlq = sqs.queue("bad-dlq", Map.of());
        Queue queue = sqs.queue("bad", 30, dlq, 5);
        AuditTrail trail = new AuditTrail(LocalDynamo.freshTables(LocalDynamo.client()));
        QueueWorker worker = new QueueWorker(new AgentPipeline(new Router(List.of(refunds), noModel, "urn:test"), trail,
                published::addAll), new SqsRedelivery(sqs.sqs, SqsRedelivery.DEFAULT_BACKOFF), new EventMetrics());
        for (int i = 0; i < CORPUS.size(); i++) {
            sqs.send(queue, CORPUS.get(i)[0], Map.of("case", MessageAttributeValue.builder().dataType("Number")
                    .stringValue(Integer.toString(i)).build()));
        }

        int rounds = 0;
        while (sqs.size(queue) > 0 && rounds++ < 20) {
            sqs.deliver(queue, worker);
        }

        List<Message> dead = sqs.receive(dlq, CORPUS.size(), Duration.ofSeconds(10));
        assertThat(dead).hasSize(CORPUS.size());
        for (Message message : dead) {
            int i = Integer.parseInt(message.messageAttributes().get("case").stringValue());
            assertThat(message.messageAttributes().get("relay-error-reason").stringValue())
                    .as("case %d: %s", i, CORPUS.get(i)[0]).startsWith(CORPUS.get(i)[1]);
            assertThat(message.messageAttributes().get("relay-receive-count").stringValue()).as("case %d", i).isEqualTo("1");
        }
        assertThat(sqs.size(queue)).isZero();
        assertThat(handled).isEmpty();
        assertThat(published).isEmpty();
    }
}
