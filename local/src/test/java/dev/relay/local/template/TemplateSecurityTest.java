package dev.relay.local.template;

import static dev.relay.local.template.ResourceTypes.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.local.template.TemplatePolicies.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployable {@code template.yaml} against the rules of issue 12 (item 4): no IAM wildcard beyond those AWS
 * requires, every function with a role of its own (trusting only Lambda, consuming only its own event sources' queues,
 * writing only its own log group), every queue, topic and table encrypted, every queue with a dead-letter queue and
 * room for Lambda's retries, an alarm on every dead-letter queue, every route authorised, secrets only in Secrets
 * Manager or SSM, and every log group expiring its logs. A finding names the resource and the property.
 *
 * <p>The template is read with the local cloud's loader (Globals applied, intrinsics resolved for a stack named
 * {@code relay}); SAM policy templates and the managed policies SAM attaches on its own are read by what they expand
 * to ({@link TemplatePolicies}).
 */
class TemplateSecurityTest {

    private static final Path TEMPLATE = Path.of("..", "template.yaml").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_LIKE = Pattern.compile("(?i)key|secret|token|password|credential");
    /** What a credential itself looks like: an OpenAI key, an AWS access key id, a PEM private key. */
    private static final Pattern CREDENTIAL = Pattern.compile("sk-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|-----BEGIN");
    /** Lambda's timeout when a function sets none. */
    private static final int DEFAULT_FUNCTION_TIMEOUT = 3;
    /** SQS's visibility timeout when a queue sets none. */
    private static final int DEFAULT_VISIBILITY_TIMEOUT = 30;

    /** A wildcard a policy keeps because AWS offers nothing narrower, and why. */
    private record Required(String policy, String wildcard, String reason) {
    }

    private static final List<Required> WILDCARD_ACTIONS = List.of(
            new Required("EventsKey.AccountAdministers", "kms:*", "AWS's default key policy: the account administers "
                    + "the key and its IAM policies grant the key's use (the functions get kms:GenerateDataKey and "
                    + "kms:Decrypt on it, nothing more); a narrower account statement risks a key nobody can manage"));

    private static final List<Required> WILDCARD_RESOURCES = List.of(
            new Required("EventsKey.AccountAdministers", "*", "in a key policy \"*\" means the key itself"),
            new Required("EventsKey.SnsEncryptsAndDeliversTopicMessages", "*", "in a key policy \"*\" means the key "
                    + "itself"),
            new Required("OrderFulfillmentStateMachine.DeliverExecutionLogs", "*", "the CloudWatch Logs delivery "
                    + "actions Step Functions logging needs support no resource-level permissions"),
            new Required("OrderFulfillmentStateMachine.TraceExecutions", "*", "X-Ray's trace and sampling actions "
                    + "support no resource-level permissions"),
            new Required("AWSXrayWriteOnlyAccess", "*", "SAM attaches it to a state machine with Tracing enabled "
                    + "(the actions of TraceExecutions); X-Ray supports no resource-level permissions"));

    /** What Lambda's SQS event source mapping and a consumer's redelivery do to a queue: only to the function's own. */
    private static final List<String> SQS_CONSUME_ACTIONS = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:DeleteMessageBatch", "sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch",
            "sqs:GetQueueAttributes");
    /** What the event source mapping needs on a function's queue; without it Lambda cannot create the mapping. */
    private static final List<String> SQS_POLL_ACTIONS = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:GetQueueAttributes");
    /** What a function needs on its own log group (which the template creates, so not logs:CreateLogGroup). */
    private static final List<String> LOG_ACTIONS = List.of("logs:CreateLogStream", "logs:PutLogEvents");

    /** Routes without an authorizer ({@code Auth.Authorizer: NONE}), each authenticating in code, and how. */
    private static final Map<String, String> ROUTES_AUTHENTICATED_IN_CODE = Map.of(
            "IngestApi POST /webhooks/events", "webhook senders cannot sign with SigV4: IngestFunction checks the "
                    + "X-Relay-Signature HMAC keyed with WebhookSecret (5-minute window, each signature once), and "
                    + "the route has its own throttling");

    private static Template template;
    private static TemplatePolicies policies;

    @BeforeAll
    static void load() throws TemplateException {
        template = Template.load(TEMPLATE, StackContext.of("relay", "us-east-1", "000000000000"));
        policies = TemplatePolicies.of(template);
    }

    // ---------------------------------------------------------------- IAM

    @Test
    void everyPolicyIsOneTheCheckCanRead() {
        assertThat(policies.unreadable()).as("policies this check cannot expand").isEmpty();
        assertThat(policies.allows()).as("statements read from the template").isNotEmpty();
    }

    @Test
    void noPolicyAllowsAWildcardActionAwsDoesNotRequire() {
        List<String> findings = new ArrayList<>();
        for (Statement statement : policies.allows()) {
            if (!statement.notActions().isEmpty()) {
                findings.add(statement.where() + ".NotAction: allows every action but " + statement.notActions());
            }
            for (String action : statement.actions()) {
                if (action.contains("*") && !listed(WILDCARD_ACTIONS, statement.policy(), action)) {
                    findings.add(statement.where() + ".Action: '" + action + "' is a wildcard");
                }
            }
        }
        assertThat(findings).as("wildcard actions not in WILDCARD_ACTIONS").isEmpty();
    }

    @Test
    void noPolicyAllowsAWildcardResourceAwsDoesNotRequire() {
        List<String> findings = new ArrayList<>();
        for (Statement statement : policies.allows()) {
            if (!statement.notResources().isEmpty()) {
                findings.add(statement.where() + ".NotResource: allows every resource but " + statement.notResources());
            }
            for (String resource : statement.resources()) {
                // A log group's Arn, as CloudFormation gives it, ends in ":*": the group and its streams, no more.
                if (resource.contains("*") && !logGroupArns().contains(resource)
                        && !listed(WILDCARD_RESOURCES, statement.policy(), resource)) {
                    findings.add(statement.where() + ".Resource: '" + resource + "' is a wildcard");
                }
            }
        }
        assertThat(findings).as("wildcard resources not in WILDCARD_RESOURCES").isEmpty();
    }

    @Test
    void noResourcePolicyAllowsEveryoneUnconditionally() {
        List<String> findings = new ArrayList<>();
        for (Statement statement : policies.allows()) {
            boolean everyone = "*".equals(statement.principal())
                    || statement.principal() instanceof Map<?, ?> p && "*".equals(p.get("AWS"));
            if (everyone && statement.condition() == null) {
                findings.add(statement.where() + ".Principal: '*' without a Condition");
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void everyListedExceptionIsStillInTheTemplate() {
        List<String> stale = new ArrayList<>();
        for (Required required : WILDCARD_ACTIONS) {
            if (policies.allows().stream().noneMatch(s -> s.policy().equals(required.policy())
                    && s.actions().contains(required.wildcard()))) {
                stale.add("WILDCARD_ACTIONS: " + required.policy() + " " + required.wildcard());
            }
        }
        for (Required required : WILDCARD_RESOURCES) {
            if (policies.allows().stream().noneMatch(s -> s.policy().equals(required.policy())
                    && s.resources().contains(required.wildcard()))) {
                stale.add("WILDCARD_RESOURCES: " + required.policy() + " " + required.wildcard());
            }
        }
        Set<String> unauthenticatedRoutes = new HashSet<>();
        for (Route route : routes()) {
            if (route.api() != null && "NONE".equals(route.authorizer())) {
                unauthenticatedRoutes.add(route.key());
            }
        }
        for (String route : ROUTES_AUTHENTICATED_IN_CODE.keySet()) {
            if (!unauthenticatedRoutes.contains(route)) {
                stale.add("ROUTES_AUTHENTICATED_IN_CODE: " + route);
            }
        }
        assertThat(stale).as("allow-list entries the template no longer needs").isEmpty();
    }

    // ---------------------------------------------------------------- function roles

    @Test
    void everyFunctionHasARoleOfItsOwn() {
        Map<String, String> functionByRole = new LinkedHashMap<>();
        List<String> findings = new ArrayList<>();
        for (Resource function : ofType(SERVERLESS_FUNCTION, LAMBDA_FUNCTION)) {
            Optional<Object> arn = function.property("Role");
            Optional<Resource> role = arn.flatMap(TemplateSecurityTest::roleWithArn);
            if (arn.isEmpty()) {
                findings.add(at(function, "Role") + ": missing; SAM would make a role with AWS's managed "
                        + "AWSLambdaBasicExecutionRole (logs on any group) and, for an SQS event, "
                        + "AWSLambdaSQSQueueExecutionRole (any queue)");
            } else if (role.isEmpty()) {
                findings.add(at(function, "Role") + ": '" + arn.get() + "' is no AWS::IAM::Role of this template");
            } else {
                String other = functionByRole.putIfAbsent(role.get().logicalId(), function.logicalId());
                if (other != null) {
                    findings.add(at(function, "Role") + ": " + role.get().logicalId() + " is " + other
                            + "'s role too; each function gets only what it does");
                }
            }
        }
        assertThat(functionByRole).as("functions with a role of the template").isNotEmpty();
        assertThat(findings).isEmpty();
    }

    @Test
    void everyFunctionRoleTrustsOnlyLambda() {
        List<String> findings = new ArrayList<>();
        for (Map.Entry<Resource, Resource> entry : functionRoles().entrySet()) {
            Resource role = entry.getValue();
            List<Statement> trust = policies.trustOf(role.logicalId());
            if (trust.stream().noneMatch(Statement::allows)) {
                findings.add(at(role, "AssumeRolePolicyDocument") + ": allows nobody to assume the role of "
                        + entry.getKey().logicalId());
            }
            for (Statement statement : trust) {
                if (!statement.allows()) {
                    continue;
                }
                if (!Map.of("Service", "lambda.amazonaws.com").equals(statement.principal())
                        && !Map.of("Service", List.of("lambda.amazonaws.com")).equals(statement.principal())) {
                    findings.add(statement.where() + ".Principal: " + statement.principal() + " is not only the "
                            + "service lambda.amazonaws.com");
                }
                if (!statement.actions().equals(List.of("sts:AssumeRole")) || !statement.notActions().isEmpty()) {
                    findings.add(statement.where() + ".Action: " + statement.actions() + " is not only sts:AssumeRole");
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void functionsConsumeOnlyTheQueuesOfTheirOwnEventSources() {
        List<String> findings = new ArrayList<>();
        for (Map.Entry<Resource, Resource> entry : functionRoles().entrySet()) {
            Resource function = entry.getKey();
            List<Statement> granted = policies.grantedTo(entry.getValue().logicalId());
            Set<String> ownQueues = new HashSet<>();
            events(function, "SQS").values()
                    .forEach(event -> ownQueues.add(String.valueOf(properties(event).get("Queue"))));
            for (Statement statement : granted) {
                List<String> consumes = SQS_CONSUME_ACTIONS.stream().filter(a -> grants(statement, a)).toList();
                if (!statement.allows() || consumes.isEmpty()) {
                    continue;
                }
                for (String resource : statement.resources()) {
                    if (!ownQueues.contains(resource)) {
                        findings.add(statement.where() + ".Resource: '" + resource + "' gets " + consumes + " but is "
                                + "not the queue of an SQS event of " + function.logicalId() + " " + ownQueues);
                    }
                }
            }
            for (String queue : ownQueues) {
                for (String action : SQS_POLL_ACTIONS) {
                    if (granted.stream().noneMatch(s -> s.allows() && grants(s, action)
                            && s.resources().contains(queue))) {
                        findings.add(at(entry.getValue(), "Policies") + ": no " + action + " on '" + queue + "', "
                                + function.logicalId() + "'s event source; Lambda cannot poll it");
                    }
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void functionsWriteLogsOnlyToTheirOwnLogGroup() {
        List<String> findings = new ArrayList<>();
        for (Map.Entry<Resource, Resource> entry : functionRoles().entrySet()) {
            Resource function = entry.getKey();
            Object groupName = function.property("LoggingConfig.LogGroup").orElse(null);
            Optional<String> ownGroup = ofType(LOG_GROUP).stream().filter(g -> g.physicalName().equals(groupName))
                    .map(g -> g.attribute("Arn").orElseThrow()).findFirst();
            if (ownGroup.isEmpty()) {
                continue; // everyFunctionAndStateMachineLogsToALogGroupOfTheTemplate reports it
            }
            List<Statement> granted = policies.grantedTo(entry.getValue().logicalId());
            for (Statement statement : granted) {
                boolean logs = statement.actions().stream().anyMatch(a -> a.startsWith("logs:") || a.equals("*"));
                if (!statement.allows() || !logs) {
                    continue;
                }
                for (String resource : statement.resources()) {
                    if (!resource.equals(ownGroup.get())) {
                        findings.add(statement.where() + ".Resource: '" + resource + "' is not "
                                + function.logicalId() + "'s log group '" + ownGroup.get() + "'");
                    }
                }
            }
            for (String action : LOG_ACTIONS) {
                if (granted.stream().noneMatch(s -> s.allows() && grants(s, action)
                        && s.resources().contains(ownGroup.get()))) {
                    findings.add(at(entry.getValue(), "Policies") + ": no " + action + " on '" + ownGroup.get()
                            + "'; " + function.logicalId() + " could not write its logs");
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    // ---------------------------------------------------------------- encryption at rest

    @Test
    void everyQueueIsEncrypted() {
        List<String> findings = new ArrayList<>();
        for (Resource queue : ofType(SQS_QUEUE)) {
            if (!isTrue(queue.property("SqsManagedSseEnabled")) && queue.property("KmsMasterKeyId").isEmpty()) {
                findings.add(at(queue, "SqsManagedSseEnabled") + ": neither true nor a KmsMasterKeyId");
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void everyTopicIsEncryptedWithAKmsKey() {
        List<String> findings = new ArrayList<>();
        for (Resource topic : ofType(SNS_TOPIC)) {
            if (topic.property("KmsMasterKeyId").isEmpty()) {
                findings.add(at(topic, "KmsMasterKeyId") + ": missing");
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void everyTableIsEncrypted() {
        List<String> findings = new ArrayList<>();
        for (Resource table : ofType(DYNAMODB_TABLE, SERVERLESS_SIMPLE_TABLE)) {
            if (!isTrue(table.property("SSESpecification.SSEEnabled"))) {
                findings.add(at(table, "SSESpecification.SSEEnabled") + ": not true");
            }
        }
        assertThat(findings).isEmpty();
    }

    // ---------------------------------------------------------------- queues, dead-letter queues, alarms

    @Test
    void everyQueueButADeadLetterQueueRedrivesToOne() throws TemplateException {
        Set<String> deadLetterQueues = deadLetterQueues();
        List<String> findings = new ArrayList<>();
        for (Resource queue : ofType(SQS_QUEUE)) {
            if (deadLetterQueues.contains(queue.logicalId())) {
                continue;
            }
            Optional<Object> target = queue.property("RedrivePolicy.deadLetterTargetArn");
            if (target.isEmpty()) {
                findings.add(at(queue, "RedrivePolicy") + ": missing; a poison message would be retried forever");
            } else if (queueWith("Arn", target.get()).isEmpty()) {
                findings.add(at(queue, "RedrivePolicy.deadLetterTargetArn") + ": '" + target.get()
                        + "' is no queue of this template");
            } else if (queue.property("RedrivePolicy.maxReceiveCount").isEmpty()) {
                findings.add(at(queue, "RedrivePolicy.maxReceiveCount") + ": missing");
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void everyConsumedQueueHidesAMessageForSixTimesItsFunctionsTimeout() {
        List<String> findings = new ArrayList<>();
        int consumed = 0;
        for (Resource function : ofType(SERVERLESS_FUNCTION)) {
            int timeout = number(function.property("Timeout"), DEFAULT_FUNCTION_TIMEOUT);
            for (Map.Entry<String, Map<?, ?>> event : events(function, "SQS").entrySet()) {
                Object arn = properties(event.getValue()).get("Queue");
                Optional<Resource> queue = queueWith("Arn", arn);
                if (queue.isEmpty()) {
                    findings.add(at(function, "Events." + event.getKey() + ".Properties.Queue") + ": '" + arn
                            + "' is no queue of this template");
                    continue;
                }
                consumed++;
                int visibility = number(queue.get().property("VisibilityTimeout"), DEFAULT_VISIBILITY_TIMEOUT);
                if (visibility < 6 * timeout) {
                    findings.add(at(queue.get(), "VisibilityTimeout") + ": " + visibility + " s is less than 6 x "
                            + function.logicalId() + ".Timeout (" + timeout + " s) = " + 6 * timeout + " s");
                }
            }
        }
        assertThat(consumed).as("queues consumed by functions").isPositive();
        assertThat(findings).isEmpty();
    }

    @Test
    void everyDeadLetterQueueHasAnAlarm() throws TemplateException {
        Set<String> alarmed = alarmedQueueNames();
        List<String> findings = new ArrayList<>();
        for (String id : deadLetterQueues()) {
            Resource queue = template.resource(id).orElseThrow();
            if (!alarmed.contains(queue.physicalName())) {
                findings.add("Resources." + id + ": no AWS::CloudWatch::Alarm watches it (AWS/SQS metric with "
                        + "Dimensions QueueName, directly or in Metrics[].MetricStat)");
            }
        }
        assertThat(findings).isEmpty();
    }

    // ---------------------------------------------------------------- HTTP routes

    @Test
    void everyRouteIsAuthorisedOrAuthenticatesInCode() {
        List<String> findings = new ArrayList<>();
        List<Route> routes = routes();
        for (Route route : routes) {
            if (route.api() == null) {
                findings.add(route.where() + ": on SAM's implicit API, which has no authorizer; give it the ApiId of "
                        + "an API whose Auth.DefaultAuthorizer is AWS_IAM");
            } else if ("NONE".equals(route.authorizer())) {
                if (!ROUTES_AUTHENTICATED_IN_CODE.containsKey(route.key())) {
                    findings.add(route.where() + ".Properties.Auth: " + route.key() + " has no authorizer and is not "
                            + "in ROUTES_AUTHENTICATED_IN_CODE");
                } else if (!(route.api().property("RouteSettings").orElse(Map.of()) instanceof Map<?, ?> settings
                        && settings.get(route.method() + " " + route.path()) instanceof Map<?, ?> throttle
                        && throttle.containsKey("ThrottlingRateLimit"))) {
                    findings.add(at(route.api(), "RouteSettings") + ": the unauthenticated route " + route.key()
                            + " has no throttling of its own");
                }
            } else if ("AWS_IAM".equals(route.authorizer())) {
                if (route.api().type().equals(SERVERLESS_HTTP_API)
                        && !isTrue(route.api().property("Auth.EnableIamAuthorizer"))) {
                    findings.add(at(route.api(), "Auth.EnableIamAuthorizer") + ": must be true for AWS_IAM");
                }
            } else if (route.api().property("Auth.Authorizers." + route.authorizer()).isEmpty()) {
                findings.add(route.where() + ": authorizer '" + route.authorizer() + "' is not in "
                        + route.api().logicalId() + ".Auth.Authorizers");
            }
        }
        assertThat(routes).as("routes").isNotEmpty();
        assertThat(findings).isEmpty();
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void functionVariablesNameSecretsKeptInSecretsManagerOrSsmAndHoldNone() {
        List<String> findings = new ArrayList<>();
        for (Resource function : ofType(SERVERLESS_FUNCTION, LAMBDA_FUNCTION)) {
            if (!(function.property("Environment.Variables").orElse(Map.of()) instanceof Map<?, ?> variables)) {
                continue;
            }
            for (Map.Entry<?, ?> variable : variables.entrySet()) {
                String name = String.valueOf(variable.getKey());
                String value = String.valueOf(variable.getValue());
                String where = at(function, "Environment.Variables." + name);
                if (CREDENTIAL.matcher(value).find()) {
                    findings.add(where + ": holds what looks like a credential");
                } else if (SECRET_LIKE.matcher(name).find() && !isSecretsManagerSecret(value)
                        && !isReadableSsmParameter(value)) {
                    findings.add(where + ": '" + value + "' is neither a Secrets Manager secret of this template nor "
                            + "an SSM parameter a policy lets functions read");
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void secretLikeParametersNameWhereTheSecretIsKept() throws Exception {
        Map<?, ?> root = (Map<?, ?>) TemplateYaml.parse(Files.readString(TEMPLATE), TEMPLATE.toString());
        List<String> findings = new ArrayList<>();
        if (root.get("Parameters") instanceof Map<?, ?> parameters) {
            for (Map.Entry<?, ?> parameter : parameters.entrySet()) {
                String name = String.valueOf(parameter.getKey());
                Map<?, ?> definition = (Map<?, ?>) parameter.getValue();
                Object defaultValue = definition.get("Default");
                if (defaultValue != null && CREDENTIAL.matcher(String.valueOf(defaultValue)).find()) {
                    findings.add("Parameters." + name + ".Default: looks like a credential");
                }
                // NoEcho hides a value from describe-stacks, not from the function configuration it ends up in.
                if (SECRET_LIKE.matcher(name).find() && !name.endsWith("Name") && !name.endsWith("Arn")) {
                    findings.add("Parameters." + name + ": a secret passed as a parameter (NoEcho: "
                            + Boolean.TRUE.equals(definition.get("NoEcho")) + "); keep it in Secrets Manager or "
                            + "SSM and pass its name");
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void secretsAreGeneratedInSecretsManagerNotWrittenInTheTemplate() {
        List<String> findings = new ArrayList<>();
        for (Resource secret : ofType(SECRETS_MANAGER_SECRET)) {
            if (secret.property("SecretString").isPresent()) {
                findings.add(at(secret, "SecretString") + ": the secret's value is in the template; use "
                        + "GenerateSecretString or put the value after deploying");
            }
        }
        for (Resource parameter : ofType("AWS::SSM::Parameter")) {
            String name = String.valueOf(parameter.property("Name").orElse(parameter.logicalId()));
            if (SECRET_LIKE.matcher(name).find() || SECRET_LIKE.matcher(parameter.logicalId()).find()) {
                findings.add(at(parameter, "Name") + ": CloudFormation cannot create a SecureString, so a secret in "
                        + "a template's SSM parameter is plain text; create it with aws ssm put-parameter");
            }
        }
        assertThat(findings).isEmpty();
    }

    // ---------------------------------------------------------------- log retention

    @Test
    void everyLogGroupExpiresItsLogs() {
        List<String> findings = new ArrayList<>();
        for (Resource group : ofType(LOG_GROUP)) {
            if (number(group.property("RetentionInDays"), 0) <= 0) {
                findings.add(at(group, "RetentionInDays") + ": missing; CloudWatch Logs would keep the logs forever");
            }
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void everyFunctionAndStateMachineLogsToALogGroupOfTheTemplate() {
        Map<String, Resource> groupsByName = new LinkedHashMap<>();
        Map<String, Resource> groupsByArn = new LinkedHashMap<>();
        for (Resource group : ofType(LOG_GROUP)) {
            groupsByName.put(group.physicalName(), group);
            groupsByArn.put(group.attribute("Arn").orElseThrow(), group);
        }
        List<String> findings = new ArrayList<>();
        for (Resource function : ofType(SERVERLESS_FUNCTION, LAMBDA_FUNCTION)) {
            Optional<Object> group = function.property("LoggingConfig.LogGroup");
            if (group.isEmpty()) {
                findings.add(at(function, "LoggingConfig.LogGroup") + ": missing; Lambda would create "
                        + "/aws/lambda/<function> itself, with no retention");
            } else if (!groupsByName.containsKey(String.valueOf(group.get()))) {
                findings.add(at(function, "LoggingConfig.LogGroup") + ": '" + group.get()
                        + "' is no AWS::Logs::LogGroup of this template");
            }
        }
        for (Resource machine : ofType(SERVERLESS_STATE_MACHINE, STATE_MACHINE)) {
            String logging = machine.type().equals(STATE_MACHINE) ? "LoggingConfiguration" : "Logging";
            for (Object destination : list(machine.property(logging + ".Destinations").orElse(null))) {
                Object arn = destination instanceof Map<?, ?> d && d.get("CloudWatchLogsLogGroup") instanceof Map<?, ?> g
                        ? g.get("LogGroupArn") : null;
                if (!groupsByArn.containsKey(String.valueOf(arn))) {
                    findings.add(at(machine, logging + ".Destinations") + ": '" + arn
                            + "' is no AWS::Logs::LogGroup of this template");
                }
            }
        }
        assertThat(findings).isEmpty();
    }

    // ---------------------------------------------------------------- reading the template

    /** One route of an {@code HttpApi} or {@code Api} event; {@code api} is null on SAM's implicit API. */
    private record Route(String where, Resource api, String method, String path, String authorizer) {
        String key() {
            return (api == null ? "(implicit API)" : api.logicalId()) + " " + method + " " + path;
        }
    }

    private static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Resource function : ofType(SERVERLESS_FUNCTION)) {
            Map<String, Map<?, ?>> events = new LinkedHashMap<>(events(function, "HttpApi"));
            events.putAll(events(function, "Api"));
            for (Map.Entry<String, Map<?, ?>> event : events.entrySet()) {
                Map<?, ?> properties = properties(event.getValue());
                Object apiId = properties.get(event.getValue().get("Type").equals("HttpApi") ? "ApiId" : "RestApiId");
                Resource api = ofType(SERVERLESS_HTTP_API, SERVERLESS_API).stream()
                        .filter(a -> template.ref(a.logicalId()).orElse("").equals(apiId)).findFirst().orElse(null);
                Object routeAuthorizer = properties.get("Auth") instanceof Map<?, ?> auth ? auth.get("Authorizer") : null;
                Object authorizer = routeAuthorizer != null ? routeAuthorizer
                        : api == null ? "NONE" : api.property("Auth.DefaultAuthorizer").orElse("NONE");
                routes.add(new Route("Resources." + function.logicalId() + ".Properties.Events." + event.getKey(), api,
                        String.valueOf(properties.get("Method")).toUpperCase(Locale.ROOT),
                        String.valueOf(properties.get("Path")), String.valueOf(authorizer)));
            }
        }
        return routes;
    }

    /**
     * Queues that hold what needs a person: those a {@code RedrivePolicy} targets, and those a state machine's
     * {@code sqs:sendMessage} task parks failures in (the saga's compensation DLQ) that no function consumes.
     */
    private static Set<String> deadLetterQueues() throws TemplateException {
        Set<String> queues = new HashSet<>();
        Set<Object> consumed = new HashSet<>();
        for (Resource queue : ofType(SQS_QUEUE)) {
            queue.property("RedrivePolicy.deadLetterTargetArn").flatMap(arn -> queueWith("Arn", arn))
                    .ifPresent(target -> queues.add(target.logicalId()));
        }
        for (Resource function : ofType(SERVERLESS_FUNCTION)) {
            events(function, "SQS").values().forEach(event -> consumed.add(properties(event).get("Queue")));
        }
        for (Resource machine : ofType(SERVERLESS_STATE_MACHINE, STATE_MACHINE)) {
            JsonNode definition;
            try {
                definition = JSON.readTree(template.stateMachineDefinition(machine.logicalId()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(machine.logicalId() + ": definition is not JSON", e);
            }
            for (JsonNode state : definition.findParents("Resource")) {
                if (state.path("Resource").asText().startsWith("arn:aws:states:::sqs:sendMessage")) {
                    queueWith("QueueUrl", state.path("Parameters").path("QueueUrl").asText())
                            .filter(queue -> !consumed.contains(queue.attribute("Arn").orElseThrow()))
                            .ifPresent(queue -> queues.add(queue.logicalId()));
                }
            }
        }
        return queues;
    }

    /** Queue names in an AWS/SQS metric's {@code QueueName} dimension of any alarm, single-metric or metric math. */
    private static Set<String> alarmedQueueNames() {
        Set<String> names = new HashSet<>();
        for (Resource alarm : ofType(CLOUDWATCH_ALARM)) {
            List<Map<?, ?>> metrics = new ArrayList<>(List.of(alarm.properties()));
            for (Object query : list(alarm.property("Metrics").orElse(null))) {
                if (query instanceof Map<?, ?> q && q.get("MetricStat") instanceof Map<?, ?> stat
                        && stat.get("Metric") instanceof Map<?, ?> metric) {
                    metrics.add(metric);
                }
            }
            for (Map<?, ?> metric : metrics) {
                if ("AWS/SQS".equals(metric.get("Namespace"))) {
                    for (Object dimension : list(metric.get("Dimensions"))) {
                        if (dimension instanceof Map<?, ?> d && "QueueName".equals(d.get("Name"))) {
                            names.add(String.valueOf(d.get("Value")));
                        }
                    }
                }
            }
        }
        return names;
    }

    private static boolean isSecretsManagerSecret(String value) {
        return ofType(SECRETS_MANAGER_SECRET).stream().anyMatch(secret -> value.equals(secret.physicalName())
                || value.equals(template.ref(secret.logicalId()).orElse(null))
                || value.equals(secret.attribute("Id").orElse(null)));
    }

    /** An SSM parameter name some policy of the template grants {@code ssm:GetParameter} on. */
    private static boolean isReadableSsmParameter(String value) {
        StackContext stack = template.stack();
        String arn = "arn:aws:ssm:" + stack.region() + ":" + stack.accountId() + ":parameter"
                + (value.startsWith("/") ? value : "/" + value);
        return policies.allows().stream().anyMatch(s -> s.resources().contains(arn)
                && (s.actions().contains("ssm:GetParameter") || s.actions().contains("ssm:GetParameters")));
    }

    /** Each function whose {@code Role} is an {@code AWS::IAM::Role} of the template, with that role. */
    private static Map<Resource, Resource> functionRoles() {
        Map<Resource, Resource> roles = new LinkedHashMap<>();
        for (Resource function : ofType(SERVERLESS_FUNCTION, LAMBDA_FUNCTION)) {
            function.property("Role").flatMap(TemplateSecurityTest::roleWithArn)
                    .ifPresent(role -> roles.put(function, role));
        }
        return roles;
    }

    private static Optional<Resource> roleWithArn(Object arn) {
        return ofType(IAM_ROLE).stream().filter(r -> r.attribute("Arn").orElse("").equals(arn)).findFirst();
    }

    private static Set<String> logGroupArns() {
        Set<String> arns = new HashSet<>();
        ofType(LOG_GROUP).forEach(group -> arns.add(group.attribute("Arn").orElseThrow()));
        return arns;
    }

    /** Whether one of the statement's actions, wildcards included ({@code sqs:*}, {@code sqs:Receive*}), is it. */
    private static boolean grants(Statement statement, String action) {
        return statement.actions().stream().anyMatch(pattern -> Pattern.compile(
                Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"), Pattern.CASE_INSENSITIVE)
                .matcher(action).matches());
    }

    private static Optional<Resource> queueWith(String attribute, Object value) {
        return ofType(SQS_QUEUE).stream().filter(q -> q.attribute(attribute).orElse("").equals(value)).findFirst();
    }

    /** A function's SAM events of one type, by name. */
    private static Map<String, Map<?, ?>> events(Resource function, String type) {
        Map<String, Map<?, ?>> events = new LinkedHashMap<>();
        if (function.property("Events").orElse(null) instanceof Map<?, ?> all) {
            all.forEach((name, event) -> {
                if (event instanceof Map<?, ?> e && type.equals(e.get("Type"))) {
                    events.put(String.valueOf(name), e);
                }
            });
        }
        return events;
    }

    private static Map<?, ?> properties(Map<?, ?> event) {
        return event.get("Properties") instanceof Map<?, ?> p ? p : Map.of();
    }

    private static List<Resource> ofType(String... types) {
        List<String> wanted = List.of(types);
        return template.allResources().stream().filter(r -> wanted.contains(r.type())).toList();
    }

    private static boolean listed(List<Required> allowed, String policy, String wildcard) {
        return allowed.stream().anyMatch(r -> r.policy().equals(policy) && r.wildcard().equals(wildcard));
    }

    private static String at(Resource resource, String property) {
        return "Resources." + resource.logicalId() + ".Properties." + property;
    }

    private static boolean isTrue(Optional<Object> value) {
        return value.map(v -> "true".equalsIgnoreCase(String.valueOf(v))).orElse(false);
    }

    private static int number(Optional<Object> value, int fallback) {
        return value.map(v -> Integer.parseInt(String.valueOf(v))).orElse(fallback);
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }
}
