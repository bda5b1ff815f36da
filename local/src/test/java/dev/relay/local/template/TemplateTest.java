package dev.relay.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    static final String STACK = "relay-test";
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";

    static Path fixture(String name) {
        try {
            return Path.of(TemplateTest.class.getResource("/templates/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Template load(String name, Map<String, String> overrides) throws TemplateException {
        return Template.load(fixture(name), new StackContext(STACK, REGION, ACCOUNT, overrides));
    }

    static String generated(String logicalId) {
        return STACK + "-" + logicalId + "-" + DefaultPhysicalIds.stableSuffix(STACK, logicalId);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> variables(Resource function) {
        return (Map<String, Object>) function.property("Environment.Variables").orElseThrow();
    }

    @Test
    void everyIntrinsicResolvesWithDefaultParameters() throws Exception {
        Template template = load("every-intrinsic.yaml", Map.of());
        Resource worker = template.resource("Worker").orElseThrow();
        String queue = generated("WorkQueue");
        String topic = generated("Alerts");

        assertThat(variables(worker)).containsExactly(
                entry("STAGE", "dev"),
                entry("LOG_LEVEL", "DEBUG"),
                entry("QUEUE_URL", "http://127.0.0.1:4566/123456789012/" + queue),
                entry("QUEUE_ARN", "arn:aws:sqs:eu-west-1:123456789012:" + queue),
                entry("QUEUE_NAME", queue),
                entry("TABLE", "relay-test-ledger-dev"),
                entry("STREAM", "arn:aws:dynamodb:eu-west-1:123456789012:table/relay-test-ledger-dev/stream/1970-01-01T00:00:00.000"),
                entry("TOPIC", "arn:aws:sns:eu-west-1:123456789012:" + topic),
                entry("TOPIC_NAME", topic),
                entry("FIRST_TEAM", "ops"),
                entry("TEAMS", "ops|billing|support"),
                entry("ZONE", "eu-west-1b"),
                entry("SECOND_PART", "b"),
                entry("CONCURRENCY", 2),
                entry("ENCODED", "aGVsbG8="),
                entry("ESCAPED", "${NotAVariable}-dev"),
                entry("SUB_WITH_VARS", "d/" + queue + "/relay-test"),
                entry("PARTITION", "aws.amazonaws.com"),
                entry("MODE", "development"),
                entry("DEV_ONLY", "yes"),
                entry("RETENTION", "7"));
    }

    @Test
    void globalsMergeIntoEveryServerlessFunction() throws Exception {
        Resource worker = load("every-intrinsic.yaml", Map.of()).resource("Worker").orElseThrow();

        assertThat(worker.properties()).containsEntry("Runtime", "java25")
                .containsEntry("MemorySize", 512)
                .containsEntry("Timeout", 60)
                .containsEntry("Layers", List.of("arn:aws:lambda:eu-west-1:123456789012:layer:common:1",
                        "arn:aws:lambda:eu-west-1:123456789012:layer:extra:2"));
        assertThat(worker.property("Events.Work.Properties.Queue"))
                .contains("arn:aws:sqs:eu-west-1:123456789012:" + generated("WorkQueue"));
        assertThat(worker.property("Events.Work.Properties.FunctionResponseTypes"))
                .contains(List.of("ReportBatchItemFailures"));
    }

    @Test
    void overridesChangeParametersConditionsAndTheResourcesKept() throws Exception {
        Template template = load("every-intrinsic.yaml", Map.of("Stage", "prod", "ExternalEndpoint", "https://hooks.example"));
        Map<String, Object> variables = variables(template.resource("Worker").orElseThrow());

        assertThat(variables).containsEntry("MODE", "production")
                .containsEntry("OPTIONAL", "https://hooks.example")
                .containsEntry("DEV_ONLY", "no")
                .containsEntry("CONCURRENCY", 50)
                .containsEntry("TABLE", "relay-test-ledger-prod");
        assertThat(template.omittedByCondition()).isEmpty();
        assertThat(template.resource("ProdOnlyQueue")).isPresent();
        assertThat(template.outputs().get("ProdQueue").value())
                .isEqualTo("http://127.0.0.1:4566/123456789012/" + generated("ProdOnlyQueue"));
        assertThat(template.parameters()).containsEntry("Stage", "prod");
    }

    @Test
    void aFalseConditionOmitsTheResourceAndItsOutputAndSaysSo() throws Exception {
        Template template = load("every-intrinsic.yaml", Map.of());

        assertThat(template.resource("ProdOnlyQueue")).isEmpty();
        assertThat(template.omittedByCondition()).containsExactly(
                new OmittedResource("ProdOnlyQueue", "AWS::SQS::Queue", "IsProd"));
        assertThat(template.outputs()).doesNotContainKey("ProdQueue");
        assertThat(variables(template.resource("Worker").orElseThrow())).doesNotContainKey("OPTIONAL");
    }

    @Test
    void parametersReportTheirEffectiveValues() throws Exception {
        assertThat(load("every-intrinsic.yaml", Map.of()).parameters()).containsExactly(
                entry("Stage", "dev"), entry("RetentionDays", "7"), entry("Teams", "ops,billing,support"),
                entry("ExternalEndpoint", ""));
    }

    @Test
    void resourcesComeAfterWhatTheyReferToAndDependOn() throws Exception {
        List<String> order = load("every-intrinsic.yaml", Map.of()).resources().stream().map(Resource::logicalId).toList();

        assertThat(order).containsExactly("WorkDLQ", "WorkQueue", "Ledger", "Alerts", "Worker", "OrderedQueue", "Saga");
    }

    @Test
    void physicalNamesHonourExplicitNamesAndAreStableOtherwise() throws Exception {
        Template first = load("every-intrinsic.yaml", Map.of());
        Template again = load("every-intrinsic.yaml", Map.of());

        assertThat(first.resource("WorkDLQ").orElseThrow().physicalName()).isEqualTo("relay-test-work-dlq");
        assertThat(first.resource("WorkQueue").orElseThrow().physicalName())
                .matches("relay-test-WorkQueue-[A-Z0-9]{12}")
                .isEqualTo(again.resource("WorkQueue").orElseThrow().physicalName());
        assertThat(first.resource("OrderedQueue").orElseThrow().physicalName())
                .matches("relay-test-OrderedQueue-[A-Z0-9]{12}\\.fifo");
        assertThat(first.resource("Worker").orElseThrow().attributes())
                .containsExactly(entry("Arn", "arn:aws:lambda:eu-west-1:123456789012:function:" + generated("Worker")));
        assertThat(first.ref("Worker")).contains(generated("Worker"));
        assertThat(first.ref("Ledger")).contains("relay-test-ledger-dev");
    }

    @Test
    void stateMachineSubstitutionsAreResolvedAndApplied() throws Exception {
        Template template = load("every-intrinsic.yaml", Map.of());
        String workerArn = "arn:aws:lambda:eu-west-1:123456789012:function:" + generated("Worker");

        assertThat(template.definitionSubstitutions("Saga")).containsExactly(
                entry("WorkerArn", workerArn),
                entry("QueueUrl", "http://127.0.0.1:4566/123456789012/" + generated("WorkQueue")),
                entry("Retries", "3"));
        Resource saga = template.resource("Saga").orElseThrow();
        assertThat(saga.physicalName()).isEqualTo("relay-test-saga");
        assertThat(template.ref("Saga")).contains("arn:aws:states:eu-west-1:123456789012:stateMachine:relay-test-saga");
        assertThat(saga.attributes()).containsEntry("Name", "relay-test-saga");

        JsonNode asl = new ObjectMapper().readTree(template.stateMachineDefinition("Saga"));
        assertThat(asl.at("/States/Work/Resource").asText()).isEqualTo(workerArn);
        assertThat(asl.at("/States/Work/Retry/0/MaxAttempts").asInt()).isEqualTo(3);
    }

    @Test
    void substituteReplacesPlaceholdersAndNamesAnUnknownOne() throws Exception {
        assertThat(DefinitionSubstitutions.substitute("{\"a\":\"${X}\",\"b\":${N}}", Map.of("X", "x$1", "N", "2")))
                .isEqualTo("{\"a\":\"x$1\",\"b\":2}");
        TemplateException unknown = org.junit.jupiter.api.Assertions.assertThrows(TemplateException.class,
                () -> DefinitionSubstitutions.substitute("{\n\"a\": \"${Missing}\"}", Map.of("X", "x")));
        assertThat(unknown.getMessage())
                .isEqualTo("definition line 2: placeholder '${Missing}' has no value in DefinitionSubstitutions [X]");
    }

    @Test
    void resourcesTheLocalCloudDoesNotRunAreListedAndStillResolvable() throws Exception {
        Template template = load("every-intrinsic.yaml", Map.of());

        assertThat(template.notEmulated()).containsExactly(
                new NotEmulated("WorkerRole", "AWS::IAM::Role"),
                new NotEmulated("WorkQueueDepthAlarm", "AWS::CloudWatch::Alarm"));
        assertThat(template.resource("WorkerRole")).isEmpty();
        assertThat(template.outputs().get("RoleArn").value())
                .isEqualTo("arn:aws:iam::123456789012:role/" + generated("WorkerRole"));
    }

    @Test
    void aFunctionAliasIsTheFunctionItselfAndSnapStartIsListedAsNotEmulated() throws Exception {
        Template template = load("snapstart.yaml", Map.of());

        assertThat(template.definitionSubstitutions("Saga")).containsEntry("WorkerArn",
                "arn:aws:lambda:eu-west-1:123456789012:function:" + generated("Worker"));
        assertThat(template.resource("Worker").orElseThrow().properties()).containsEntry("AutoPublishAlias", "live");
        assertThat(template.notEmulated()).containsExactly(
                new NotEmulated("Worker.SnapStart", "SnapStart of AWS::Serverless::Function"));
    }

    @Test
    void onlyAFunctionHasAnAlias() {
        TemplateException error = org.junit.jupiter.api.Assertions.assertThrows(TemplateException.class,
                () -> load("alias-of-a-table.yaml", Map.of()));

        assertThat(error.getMessage()).contains("Resources.Queue")
                .contains("Ref Table.Alias: only an AWS::Serverless::Function (with AutoPublishAlias) has an alias, "
                        + "not AWS::DynamoDB::Table");
    }

    @Test
    void allResourcesAlsoHoldTheResolvedPropertiesOfWhatIsNotEmulated() throws Exception {
        Template template = load("every-intrinsic.yaml", Map.of());

        assertThat(template.allResources()).extracting(Resource::logicalId)
                .containsAll(template.resources().stream().map(Resource::logicalId).toList())
                .contains("WorkerRole", "WorkQueueDepthAlarm")
                .doesNotContain("ProdOnlyQueue");
        Resource alarm = template.allResources().stream()
                .filter(r -> r.logicalId().equals("WorkQueueDepthAlarm")).findFirst().orElseThrow();
        assertThat(alarm.property("Dimensions")).contains(List.of(Map.of("Name", "QueueName",
                "Value", template.resource("WorkQueue").orElseThrow().physicalName())));
    }

    @Test
    void outputsResolveValueDescriptionAndExport() throws Exception {
        Output output = load("every-intrinsic.yaml", Map.of()).outputs().get("WorkQueueUrl");

        assertThat(output.value()).isEqualTo("http://127.0.0.1:4566/123456789012/" + generated("WorkQueue"));
        assertThat(output.describedAs()).contains("Work queue for dev");
        assertThat(output.exportedAs()).contains("relay-test-WorkQueueUrl");
    }

    @Test
    void edgeAndApiUrlsAreConfigurable() throws Exception {
        Template template = Template.load(fixture("relay-like.yaml"), StackContext.of(STACK, REGION, ACCOUNT),
                new DefaultPhysicalIds("http://localhost:9000/", "http://localhost:8080"));

        assertThat(template.ref("TriageQueue")).contains("http://localhost:9000/123456789012/" + generated("TriageQueue"));
        assertThat(template.outputs().get("IntakeUrl").value()).isEqualTo("http://localhost:8080/tickets");
    }
}
