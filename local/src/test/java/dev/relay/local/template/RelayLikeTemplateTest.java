package dev.relay.local.template;

import static dev.relay.local.template.TemplateTest.generated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A template shaped like Relay's own: SNS fan-out to SQS with DLQs, agents on queues, a saga, an HTTP API. */
class RelayLikeTemplateTest {

    static Template template;

    @BeforeAll
    static void load() throws TemplateException {
        template = TemplateTest.load("relay-like.yaml", Map.of("Stage", "staging"));
    }

    static String queueArn(String name) {
        return "arn:aws:sqs:eu-west-1:123456789012:" + name;
    }

    @Test
    void queuesRedriveToTheirDeadLetterQueues() {
        Resource triage = template.resource("TriageQueue").orElseThrow();
        Resource research = template.resource("ResearchQueue").orElseThrow();

        assertThat(triage.property("RedrivePolicy")).contains(Map.of(
                "deadLetterTargetArn", queueArn(generated("TriageDLQ")), "maxReceiveCount", 5));
        assertThat(research.physicalName()).isEqualTo("relay-test-research");
        assertThat(research.property("RedrivePolicy.deadLetterTargetArn")).contains(queueArn(generated("ResearchDLQ")));
    }

    @Test
    void subscriptionsKeepFilterPoliciesAndDeliveryMode() {
        String topicArn = "arn:aws:sns:eu-west-1:123456789012:relay-test-events";
        Resource triage = template.resource("TriageSubscription").orElseThrow();
        Resource research = template.resource("ResearchSubscription").orElseThrow();

        assertThat(triage.properties()).containsEntry("TopicArn", topicArn)
                .containsEntry("Endpoint", queueArn(generated("TriageQueue")))
                .containsEntry("RawMessageDelivery", true)
                .containsEntry("FilterPolicy", Map.of("type", List.of("ticket.created", "ticket.updated"),
                        "priority", List.of(Map.of("numeric", List.of(">=", 2)))));
        assertThat(research.properties()).containsEntry("RawMessageDelivery", false)
                .containsEntry("FilterPolicyScope", "MessageBody");
        assertThat(research.property("FilterPolicy.detail.kind")).contains(List.of(Map.of("prefix", "research.")));
        assertThat(triage.physicalName()).startsWith(topicArn + ":");
    }

    @Test
    void functionsInheritGlobalsAndKeepTheirSqsEvents() {
        Resource triage = template.resource("TriageFunction").orElseThrow();

        assertThat(triage.physicalName()).isEqualTo(generated("TriageFunction"));
        assertThat(triage.properties()).containsEntry("Runtime", "java25")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("Timeout", 60);
        assertThat(triage.property("Environment.Variables")).contains(Map.of(
                "STAGE", "staging",
                "EVENTS_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:relay-test-events",
                "AUDIT_TABLE", generated("AuditTable"),
                "MODEL_NAME", "gpt-4.1-mini"));
        assertThat(triage.property("Events.Triage.Type")).contains("SQS");
        assertThat(triage.property("Events.Triage.Properties")).contains(Map.of(
                "Queue", queueArn(generated("TriageQueue")),
                "BatchSize", 5,
                "MaximumBatchingWindowInSeconds", 2,
                "FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        assertThat(template.resource("ResearchFunction").orElseThrow().properties()).containsEntry("Timeout", 300);
    }

    @Test
    void theHttpApiEventPointsAtTheApiId() {
        Resource api = template.resource("IntakeApi").orElseThrow();
        Resource intake = template.resource("IntakeFunction").orElseThrow();

        assertThat(api.physicalName()).matches("[a-z0-9]{10}");
        assertThat(intake.property("Events.Submit.Properties")).contains(Map.of(
                "ApiId", api.physicalName(), "Path", "/tickets", "Method", "POST"));
        assertThat(template.outputs().get("IntakeUrl").value()).isEqualTo("http://127.0.0.1:3000/tickets");
    }

    @Test
    void theSagaDefinitionIsReadFromItsFileWithSubstitutions() throws Exception {
        JsonNode asl = new ObjectMapper().readTree(template.stateMachineDefinition("OnboardingSaga"));

        assertThat(asl.at("/States/Triage/Parameters/FunctionName").asText())
                .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:" + generated("TriageFunction"));
        assertThat(asl.at("/States/Record/Parameters/TableName").asText()).isEqualTo(generated("AuditTable"));
        assertThat(asl.at("/States/Announce/Parameters/TopicArn").asText())
                .isEqualTo("arn:aws:sns:eu-west-1:123456789012:relay-test-events");
        assertThat(template.outputs().get("SagaArn").value())
                .isEqualTo("arn:aws:states:eu-west-1:123456789012:stateMachine:" + generated("OnboardingSaga"));
    }

    @Test
    void everythingElseIsReportedAsNotEmulated() {
        assertThat(template.notEmulated()).extracting(NotEmulated::logicalId, NotEmulated::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("EventsKey", "AWS::KMS::Key"),
                org.assertj.core.groups.Tuple.tuple("QueuesPolicy", "AWS::SQS::QueuePolicy"),
                org.assertj.core.groups.Tuple.tuple("TriageLogGroup", "AWS::Logs::LogGroup"),
                org.assertj.core.groups.Tuple.tuple("TriageDLQAlarm", "AWS::CloudWatch::Alarm"));
        assertThat(template.resource("EventsTopic").orElseThrow().property("KmsMasterKeyId"))
                .hasValueSatisfying(id -> assertThat((String) id).matches("[0-9a-f-]{36}"));
        assertThat(template.resources()).extracting(Resource::type).allMatch(ResourceTypes::isEmulated);
        assertThat(template.resource("AuditTable").orElseThrow().attributes())
                .containsExactly(entry("Arn", "arn:aws:dynamodb:eu-west-1:123456789012:table/" + generated("AuditTable")));
    }
}
