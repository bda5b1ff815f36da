package dev.relay.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.relay.core.Json;
import dev.relay.core.agent.Agent;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Decision;
import dev.relay.core.agent.FollowUp;
import dev.relay.core.agent.Outcome;
import dev.relay.core.agent.Router;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.AuditTable;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.LocalDynamo;
import dev.relay.core.audit.RecordKind;
import dev.relay.core.audit.Replay;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.EventPublisher;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.llm.Prompt;
import dev.relay.core.retry.Backoff;
import dev.relay.offline.OfflineModelServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audited pipeline end to end: the real model client against the offline model, the audit trail on DynamoDB
 * Local. The seed article's loan scenario: application received → credit analysed → approved with conditions.
 */
class AgentPipelineTest {

    private final OfflineModelServer model = OfflineModelServer.start(0);
    private final LlmGateway gateway = new LlmGateway(LlmSettings.of("gpt-4o-mini", model.baseUrl(), Duration.ofSeconds(5), 2,
            new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1))));
    private final AuditTable table = LocalDynamo.freshTables(LocalDynamo.client());
    private final AuditTrail trail = new AuditTrail(table);
    private final List<Envelope> published = new CopyOnWriteArrayList<>();
    private final EventPublisher publisher = published::addAll;
    private final AgentPipeline pipeline = new AgentPipeline(new Router(List.of(new LoanReviewer()), gateway, "urn:relay:loans"),
            trail, publisher);

    @AfterEach
    void stop() {
        gateway.close();
        model.close();
    }

    enum RiskLevel { LOW, MEDIUM, HIGH }

    record CreditAnalysis(
            @JsonPropertyDescription("credit score, 300 to 850") int score,
            @JsonPropertyDescription("low, medium or high") RiskLevel riskLevel,
            @JsonPropertyDescription("one-sentence rationale") String summary) {}

    /** The seed article's loan reviewer, as a Relay agent. */
    static final class LoanReviewer implements Agent {
        @Override
        public String id() {
            return "loan-reviewer";
        }

        @Override
        public Set<String> eventTypes() {
            return Set.of("application.received");
        }

        @Override
        public Set<String> actions() {
            return Set.of("approved", "rejected");
        }

        @Override
        public Set<String> followUpTypes() {
            return Set.of("loan.approved");
        }

        @Override
        public Outcome handle(Envelope event, AgentContext context) {
            CreditAnalysis analysis = context.model().decide(new Prompt(
                    "You are a credit analyst. Score the applicant and rate the risk.",
                    "Application: " + Json.write(event.data())).as("credit.analyzed"), CreditAnalysis.class).value();
            if (analysis.riskLevel() == RiskLevel.HIGH) {
                return Outcome.of(Decision.of("application.rejected", "rejected", analysis));
            }
            var approval = Json.object().put("decision", "approved");
            approval.putArray("conditions").add("income_verification");
            return Outcome.of(Decision.of("application.approved", "approved", approval),
                    FollowUp.of("loan.approved", approval.deepCopy().put("applicant", event.data().path("applicant").asText())));
        }
    }

    private static Envelope application(String id) {
        return Envelope.parse("""
                {"specversion":"1.0","id":"%s","source":"urn:test","type":"application.received",
                 "time":"2026-11-21T09:00:00Z","data":{"applicant":"user_42","amount":50000,"riskLevel":"medium"}}
                """.formatted(id));
    }

    @Test
    void theLoanDecisionCanBeExplainedFromItsCausalChain() {
        Envelope application = application("evt_001");

        pipeline.process(application);

        List<AuditRecord> stream = trail.stream("evt_001");
        assertThat(stream).extracting(AuditRecord::kind)
                .containsExactly(RecordKind.RECEIVED, RecordKind.LLM_CALL, RecordKind.DECISION, RecordKind.EMITTED);
        AuditRecord decision = stream.get(2);
        List<AuditRecord> chain = trail.causalChain(decision.eventId());
        assertThat(chain).extracting(AuditRecord::eventType)
                .containsExactly("application.received", "credit.analyzed", "application.approved");
        AuditRecord analysed = chain.get(1);
        assertThat(analysed.entry().payload().get("model").asText()).isNotBlank();
        assertThat(analysed.entry().payload().get("prompt_hash").asText())
                .isEqualTo(new Prompt(analysed.entry().payload().at("/prompt/system").asText(),
                        analysed.entry().payload().at("/prompt/user").asText()).hash("CreditAnalysis"));
        assertThat(analysed.entry().payload().get("raw_output").asText()).contains("riskLevel");
        assertThat(analysed.entry().payload().at("/output/riskLevel").asText()).isEqualTo("MEDIUM");
        assertThat(chain.get(2).entry().payload().at("/details/conditions/0").asText()).isEqualTo("income_verification");
        assertThat(chain).allSatisfy(r -> assertThat(r.agentId()).isEqualTo("loan-reviewer"));

        // the follow-up as published is the one recorded, and its chain runs through the decision
        assertThat(published).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("loan.approved");
            assertThat(f.causationId()).isEqualTo("evt_001");
            assertThat(trail.causalChain(f.id())).hasSize(4).last().extracting(AuditRecord::kind).isEqualTo(RecordKind.EMITTED);
        });
        assertThat(trail.verify("evt_001").intact()).isTrue();
    }

    @Test
    void aRedeliveredEventDoesNotCallTheModelOrDecideAgain() {
        pipeline.process(application("evt_redelivered"));
        int calls = model.chatCompletionCount();

        pipeline.process(application("evt_redelivered"));

        assertThat(model.chatCompletionCount()).isEqualTo(calls);
        assertThat(trail.stream("evt_redelivered")).hasSize(4);
        assertThat(published).as("published once, marked published").hasSize(1);
    }

    @Test
    void onlyOneEventCanClaimANameTheOthersRecordTheirFallback() {
        Agent closer = new Agent() {
            @Override
            public String id() {
                return "closer";
            }

            @Override
            public Set<String> eventTypes() {
                return Set.of("ticket.resolved");
            }

            @Override
            public Set<String> actions() {
                return Set.of("closed", "already_closed");
            }

            @Override
            public Set<String> followUpTypes() {
                return Set.of("ticket.closed");
            }

            @Override
            public Outcome handle(Envelope event, AgentContext context) {
                return Outcome.of(Decision.of("closed", Json.object()), FollowUp.of("ticket.closed", Json.object().put("by", event.id())))
                        .claiming("ticket.closed:T-1", Outcome.of(Decision.of("already_closed", Json.object())));
            }
        };
        AgentPipeline closing = new AgentPipeline(new Router(List.of(closer), gateway, "urn:test"), trail, publisher);
        Envelope first = Envelope.parse("{\"event_type\":\"ticket.resolved\",\"event_id\":\"r-1\",\"correlation_id\":\"T-1\",\"payload\":{}}");
        Envelope second = Envelope.parse("{\"event_type\":\"ticket.resolved\",\"event_id\":\"r-2\",\"correlation_id\":\"T-1\",\"payload\":{}}");

        assertThat(closing.decide(first).action()).isEqualTo("closed");
        assertThat(closing.decide(second).action()).isEqualTo("already_closed");
        assertThat(closing.decide(first).action()).as("a redelivery of the holder").isEqualTo("closed");

        assertThat(published).singleElement().satisfies(e -> assertThat(e.data().get("by").asText()).isEqualTo("r-1"));
        assertThat(trail.stream("T-1")).filteredOn(r -> r.kind() == RecordKind.DECISION).extracting(AuditRecord::eventType)
                .containsExactly("decision.closed", "decision.already_closed");
    }

    @Test
    void aRedeliveredStepReturnsTheRecordedDecision() {
        var first = pipeline.decide(application("evt_step"));
        var again = pipeline.decide(application("evt_step"));

        assertThat(again).isEqualTo(first);
        assertThat(again.eventType()).isEqualTo("application.approved");
        assertThat(again.details().at("/conditions/0").asText()).isEqualTo("income_verification");
    }

    @Test
    void aFunctionThatDiedBeforePublishingHasItsRecordedFollowUpsPublishedOnRedelivery() {
        EventPublisher down = events -> {
            throw new IllegalStateException("topic unavailable");
        };
        AgentPipeline dying = new AgentPipeline(new Router(List.of(new LoanReviewer()), gateway, "urn:relay:loans"), trail, down);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dying.process(application("evt_unpublished")))
                .hasMessageContaining("topic unavailable");
        int calls = model.chatCompletionCount();

        pipeline.process(application("evt_unpublished"));

        assertThat(model.chatCompletionCount()).isEqualTo(calls);
        assertThat(published).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("loan.approved");
            assertThat(f.toJson()).isEqualTo(trail.stream("evt_unpublished").getLast().entry().payload().toString());
        });
        assertThat(trail.completion("loan-reviewer", "evt_unpublished")).get()
                .extracting(c -> c.publishedAt()).isNotNull();
        pipeline.process(application("evt_unpublished"));
        assertThat(published).hasSize(1);
    }

    @Test
    void concurrentDeliveriesOfOneEventRecordOneDecision() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> deliveries = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            deliveries.add(pool.submit(() -> {
                start.await();
                pipeline.process(application("evt_concurrent"));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> delivery : deliveries) {
            delivery.get();
        }
        pool.shutdown();

        assertThat(trail.stream("evt_concurrent")).extracting(AuditRecord::kind)
                .containsExactly(RecordKind.RECEIVED, RecordKind.LLM_CALL, RecordKind.DECISION, RecordKind.EMITTED);
        assertThat(published).isNotEmpty().extracting(Envelope::id).containsOnly(published.get(0).id());
        assertThat(trail.verify("evt_concurrent").intact()).isTrue();
    }

    @Test
    void replayToShowsTheStateAsOfAPointInTime() throws Exception {
        pipeline.process(application("evt_early"));
        Instant between = Instant.now();
        Thread.sleep(20);
        pipeline.process(application("evt_late"));

        Replay before = trail.replayTo(null, between);
        Replay after = trail.replayTo(null, Instant.now());

        assertThat(before.agents().get("loan-reviewer").decisions()).extracting(Replay.DecisionMade::stream)
                .containsExactly("evt_early");
        assertThat(after.agents().get("loan-reviewer").decisions()).extracting(Replay.DecisionMade::stream)
                .containsExactly("evt_early", "evt_late");
        assertThat(after.agents().get("loan-reviewer").lastDecision().action()).isEqualTo("approved");
        assertThat(after.agents().get("loan-reviewer").llmCalls()).isEqualTo(2);
        assertThat(trail.replayTo("evt_late", between).records()).isEmpty();
    }
}
