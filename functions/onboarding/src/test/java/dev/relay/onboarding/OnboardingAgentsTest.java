package dev.relay.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.NonRetryable;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.RecordKind;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The four onboarding agents on the sample signup: side effects in their tables, completions, the audit trail. */
class OnboardingAgentsTest {

    private final Fixture fixture = new Fixture();
    private final List<dev.relay.core.agent.Agent> agents = List.of(new WelcomeEmailAgent(fixture.store),
            new ProvisioningAgent(fixture.store), new CrmAgent(fixture.store), new SalesNotifierAgent(fixture.store));

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void eachAgentLeavesItsSideEffectAndReportsItsCompletionInTheSignupsFlow() {
        Envelope signup = Fixture.signup();

        agents.forEach(agent -> fixture.pipeline(agent).process(signup));

        assertThat(fixture.published).extracting(Envelope::type).containsExactlyInAnyOrder(
                "welcome.email.sent", "workspace.provisioned", "crm.contact.created", "sales.notified");
        assertThat(fixture.published).allSatisfy(completion -> {
            assertThat(completion.correlationId()).isEqualTo(signup.correlationId());
            assertThat(completion.causationId()).isEqualTo(signup.id());
            assertThat(completion.data().get("signup_id").asText()).isEqualTo(signup.id());
        });

        List<Map<String, AttributeValue>> outbox = fixture.rows(fixture.tables.outbox());
        assertThat(outbox).extracting(m -> m.get("to").s()).containsExactlyInAnyOrder("ada@lovelace.example", "#sales-signups");
        assertThat(outbox).allSatisfy(m -> assertThat(m.get("body").s()).isNotBlank());
        assertThat(fixture.rows(fixture.tables.workspaces())).singleElement().satisfies(w -> {
            assertThat(w.get("plan").s()).isEqualTo("pro");
            assertThat(w.get("seats").n()).isEqualTo("10");
            assertThat(w.get("owner_user_id").s()).isEqualTo("user_42");
        });
        assertThat(fixture.rows(fixture.tables.contacts())).singleElement()
                .satisfies(c -> assertThat(c.get("company").s()).isEqualTo("Analytical Engines Ltd"));

        List<AuditRecord> flow = fixture.trail.stream(signup.correlationId());
        assertThat(flow).filteredOn(r -> r.kind() == RecordKind.DECISION).extracting(AuditRecord::agentId)
                .containsExactlyInAnyOrder("welcome-email", "provisioning", "crm", "sales-notifier");
        assertThat(flow).filteredOn(r -> r.kind() == RecordKind.LLM_CALL).extracting(AuditRecord::eventType)
                .containsExactlyInAnyOrder("welcome.email.written", "sales.brief.written");
        assertThat(fixture.trail.verify(signup.correlationId()).intact()).isTrue();
    }

    @Test
    void aRedeliveredSignupChangesNothing() {
        Envelope signup = Fixture.signup();
        agents.forEach(agent -> fixture.pipeline(agent).process(signup));
        int calls = fixture.model.chatCompletionCount();
        int records = fixture.trail.stream(signup.correlationId()).size();

        agents.forEach(agent -> fixture.pipeline(agent).process(signup));

        assertThat(fixture.model.chatCompletionCount()).isEqualTo(calls);
        assertThat(fixture.published).hasSize(4);
        assertThat(fixture.trail.stream(signup.correlationId())).hasSize(records);
        assertThat(fixture.rows(fixture.tables.outbox())).hasSize(2);
    }

    @Test
    void anUnknownPlanCannotBeProvisionedAndIsNotRetried() {
        Envelope platinum = Envelope.parse("""
                {"event_type":"customer.signup","payload":{"user_id":"user_7","email":"grace@hopper.example",
                 "name":"Grace Hopper","plan":"platinum"}}""");

        assertThatThrownBy(() -> fixture.pipeline(new ProvisioningAgent(fixture.store)).process(platinum))
                .isInstanceOf(InvalidEventException.class).isInstanceOf(NonRetryable.class)
                .hasMessage("data.plan: 'platinum' is not one of free, pro, enterprise");
        assertThat(fixture.rows(fixture.tables.workspaces())).isEmpty();
        fixture.pipeline(new CrmAgent(fixture.store)).process(platinum);
        assertThat(fixture.published).extracting(Envelope::type).containsExactly("crm.contact.created");
    }

    @Test
    void aSignupWithoutAValidEmailNamesTheField() {
        Envelope bad = Envelope.parse("""
                {"event_type":"customer.signup","payload":{"user_id":"u","email":"not-an-address","name":"N","plan":"free"}}""");

        for (var agent : agents) {
            assertThatThrownBy(() -> fixture.pipeline(agent).process(bad)).isInstanceOf(InvalidEventException.class)
                    .hasMessageStartingWith("data.email:");
        }
        assertThat(fixture.model.chatCompletionCount()).isZero();
        assertThat(Set.copyOf(fixture.published)).isEmpty();
    }
}
