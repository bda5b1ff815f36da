package dev.relay.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Every IAM policy statement a deployed template grants, read from the loaded template: identity policies
 * ({@code AWS::IAM::ManagedPolicy}, {@code Policy}, {@code Role}, a SAM function's or state machine's
 * {@code Policies}, SAM policy templates by what they expand to, the AWS managed policies SAM attaches on its own) and
 * resource policies (queue, topic, key, secret).
 */
final class TemplatePolicies {

    /**
     * One statement. {@code policy} names it for allow-lists: {@code <LogicalId>.<Sid>}, {@code <LogicalId>.<SAM policy
     * template>}, or an AWS managed policy's name (the same statement on every role); {@code where} says where it is.
     */
    record Statement(String policy, String where, String effect, List<String> actions, List<String> notActions,
            List<String> resources, List<String> notResources, Object principal, Object condition) {

        boolean allows() {
            return "Allow".equals(effect);
        }
    }

    /**
     * SAM policy templates by their expansion, as SAM's {@code samtranslator/policy_templates_data/policy_templates.json}
     * defines them (ARNs here for the loaded stack). Only templates listed here can be checked; another one fails
     * the check until its expansion is added.
     */
    static final Map<String, BiFunction<Map<?, ?>, StackContext, List<Grant>>> SAM_POLICY_TEMPLATES = Map.of(
            "LambdaInvokePolicy", (p, stack) -> List.of(new Grant(List.of("lambda:InvokeFunction"),
                    List.of(arn(stack, "lambda", "function:" + p.get("FunctionName") + "*")))),
            "SQSSendMessagePolicy", (p, stack) -> List.of(new Grant(List.of("sqs:SendMessage*"),
                    List.of(arn(stack, "sqs", String.valueOf(p.get("QueueName")))))),
            "SQSPollerPolicy", (p, stack) -> List.of(new Grant(List.of("sqs:ChangeMessageVisibility",
                    "sqs:ChangeMessageVisibilityBatch", "sqs:DeleteMessage", "sqs:DeleteMessageBatch",
                    "sqs:GetQueueAttributes", "sqs:ReceiveMessage"),
                    List.of(arn(stack, "sqs", String.valueOf(p.get("QueueName")))))),
            "SNSPublishMessagePolicy", (p, stack) -> List.of(new Grant(List.of("sns:Publish"),
                    List.of(arn(stack, "sns", String.valueOf(p.get("TopicName")))))),
            "DynamoDBReadPolicy", (p, stack) -> List.of(new Grant(List.of("dynamodb:GetItem", "dynamodb:Scan",
                    "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"),
                    List.of(arn(stack, "dynamodb", "table/" + p.get("TableName")),
                            arn(stack, "dynamodb", "table/" + p.get("TableName") + "/index/*")))),
            "DynamoDBCrudPolicy", (p, stack) -> List.of(new Grant(List.of("dynamodb:GetItem", "dynamodb:DeleteItem",
                    "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:UpdateItem",
                    "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable",
                    "dynamodb:ConditionCheckItem"),
                    List.of(arn(stack, "dynamodb", "table/" + p.get("TableName")),
                            arn(stack, "dynamodb", "table/" + p.get("TableName") + "/index/*")))));

    /** AWS managed policies as AWS publishes them (each one statement on {@code Resource: "*"}). */
    static final Map<String, List<String>> AWS_MANAGED_POLICIES = Map.of(
            "AWSLambdaBasicExecutionRole", List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
            "AWSLambdaSQSQueueExecutionRole", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"),
            "AWSXrayWriteOnlyAccess", List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords",
                    "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"));

    /** The AWS managed policy SAM attaches to a function's role for each event of these types. */
    private static final Map<String, String> EVENT_POLICIES = Map.of(
            "SQS", "AWSLambdaSQSQueueExecutionRole",
            "Kinesis", "AWSLambdaKinesisExecutionRole",
            "DynamoDB", "AWSLambdaDynamoDBExecutionRole",
            "MSK", "AWSLambdaMSKExecutionRole");

    /** Actions on resources, before they become a {@link Statement}. */
    record Grant(List<String> actions, List<String> resources) {
    }

    private final Template template;
    private final List<Statement> statements = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    /** By a role's logical id: its trust policy's statements. */
    private final Map<String, List<Statement>> trust = new LinkedHashMap<>();
    /** By a role's or managed policy's logical id: the statements it grants itself (inline, AWS managed). */
    private final Map<String, List<Statement>> granted = new LinkedHashMap<>();
    /** By a role's logical id: the logical ids of the template's managed policies attached to it. */
    private final Map<String, List<String>> attached = new LinkedHashMap<>();

    private TemplatePolicies(Template template) {
        this.template = template;
    }

    static TemplatePolicies of(Template template) {
        TemplatePolicies policies = new TemplatePolicies(template);
        for (Resource resource : template.allResources()) {
            policies.read(resource);
        }
        return policies;
    }

    List<Statement> statements() {
        return statements;
    }

    List<Statement> allows() {
        return statements.stream().filter(Statement::allows).toList();
    }

    /** Policies the check cannot expand (an unknown SAM policy template or AWS managed policy): each is a finding. */
    List<String> unreadable() {
        return unreadable;
    }

    /** The statements of an {@code AWS::IAM::Role}'s {@code AssumeRolePolicyDocument}: who may assume it. */
    List<Statement> trustOf(String roleId) {
        return trust.getOrDefault(roleId, List.of());
    }

    /**
     * What an {@code AWS::IAM::Role} may do: its inline policies, its {@code ManagedPolicyArns} (the template's own
     * managed policies and AWS's) and the template's policies that name it in their {@code Roles}.
     */
    List<Statement> grantedTo(String roleId) {
        List<Statement> all = new ArrayList<>(granted.getOrDefault(roleId, List.of()));
        for (String policy : attached.getOrDefault(roleId, List.of())) {
            all.addAll(granted.getOrDefault(policy, List.of()));
        }
        return all;
    }

    private void read(Resource resource) {
        String id = resource.logicalId();
        String at = "Resources." + id + ".Properties.";
        switch (resource.type()) {
            case "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy" -> {
                Object document = resource.property("PolicyDocument").orElse(null);
                granted(id).addAll(document(id, at + "PolicyDocument", document));
                for (Object roleName : list(resource.property("Roles").orElse(null))) {
                    template.allResources().stream().filter(r -> r.type().equals(ResourceTypes.IAM_ROLE)
                                    && template.ref(r.logicalId()).orElse("").equals(roleName))
                            .forEach(role -> attach(role.logicalId(), id));
                }
            }
            case "AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy" ->
                    document(id, at + "PolicyDocument", resource.property("PolicyDocument").orElse(null));
            case "AWS::KMS::Key" -> document(id, at + "KeyPolicy", resource.property("KeyPolicy").orElse(null));
            case "AWS::SecretsManager::ResourcePolicy" ->
                    document(id, at + "ResourcePolicy", resource.property("ResourcePolicy").orElse(null));
            case "AWS::IAM::Role" -> role(resource, at);
            case ResourceTypes.SERVERLESS_FUNCTION -> samRole(resource, at, implicitFunctionPolicies(resource));
            case ResourceTypes.SERVERLESS_STATE_MACHINE -> samRole(resource, at, implicitStateMachinePolicies(resource));
            default -> {
            }
        }
    }

    private void role(Resource role, String at) {
        String id = role.logicalId();
        trust.put(id, document(id, at + "AssumeRolePolicyDocument",
                role.property("AssumeRolePolicyDocument").orElse(null)));
        int i = 0;
        for (Object policy : list(role.property("Policies").orElse(null))) {
            if (policy instanceof Map<?, ?> p) {
                granted(id).addAll(document(id, at + "Policies[" + i + "].PolicyDocument", p.get("PolicyDocument")));
            }
            i++;
        }
        i = 0;
        for (Object arn : list(role.property("ManagedPolicyArns").orElse(null))) {
            String where = at + "ManagedPolicyArns[" + i++ + "]";
            templateManagedPolicy(String.valueOf(arn)).ifPresentOrElse(
                    policy -> attach(id, policy),
                    () -> managedPolicy(String.valueOf(arn), where).ifPresent(granted(id)::add));
        }
    }

    private List<Statement> granted(String id) {
        return granted.computeIfAbsent(id, k -> new ArrayList<>());
    }

    private void attach(String roleId, String managedPolicyId) {
        attached.computeIfAbsent(roleId, k -> new ArrayList<>()).add(managedPolicyId);
    }

    /** A SAM function or state machine: SAM makes its role from {@code Policies} unless it names a {@code Role}. */
    private void samRole(Resource resource, String at, List<String> implicitPolicies) {
        if (resource.property("Role").isPresent()) {
            return;
        }
        String id = resource.logicalId();
        for (String name : implicitPolicies) {
            managed(name, "Resources." + id + " (attached by SAM)");
        }
        Object policies = resource.property("Policies").orElse(null);
        List<?> items = policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies);
        for (int i = 0; i < items.size(); i++) {
            String where = at + "Policies[" + i + "]";
            switch (items.get(i)) {
                case String name -> managedPolicy(name, where);
                case Map<?, ?> map when map.containsKey("Statement") -> document(id, where, map);
                case Map<?, ?> map when map.size() == 1 -> samPolicyTemplate(id, where, map);
                default -> unreadable.add(where + ": neither a policy name, a policy document nor a SAM policy template");
            }
        }
    }

    private static List<String> implicitFunctionPolicies(Resource function) {
        List<String> names = new ArrayList<>(List.of("AWSLambdaBasicExecutionRole"));
        if (function.property("Events").orElse(null) instanceof Map<?, ?> events) {
            for (Object event : events.values()) {
                String policy = event instanceof Map<?, ?> e ? EVENT_POLICIES.get(String.valueOf(e.get("Type"))) : null;
                if (policy != null && !names.contains(policy)) {
                    names.add(policy);
                }
            }
        }
        if ("Active".equals(function.property("Tracing").orElse(null))) {
            names.add("AWSXrayWriteOnlyAccess");
        }
        return names;
    }

    private static List<String> implicitStateMachinePolicies(Resource machine) {
        return Boolean.TRUE.equals(machine.property("Tracing.Enabled").orElse(null))
                ? List.of("AWSXrayWriteOnlyAccess") : List.of();
    }

    /**
     * A name or ARN in {@code Policies}/{@code ManagedPolicyArns}: a managed policy of this template (its statements
     * are read with the resource), or AWS's, whose statement this returns.
     */
    private Optional<Statement> managedPolicy(String nameOrArn, String where) {
        if (templateManagedPolicy(nameOrArn).isPresent()) {
            return Optional.empty();
        }
        return managed(nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1), where);
    }

    /** The logical id of the template's {@code AWS::IAM::ManagedPolicy} with this ARN, if it is one. */
    private Optional<String> templateManagedPolicy(String arn) {
        return template.allResources().stream().filter(r -> r.type().equals("AWS::IAM::ManagedPolicy")
                && template.ref(r.logicalId()).orElse("").equals(arn)).map(Resource::logicalId).findFirst();
    }

    private Optional<Statement> managed(String name, String where) {
        List<String> actions = AWS_MANAGED_POLICIES.get(name);
        if (actions == null) {
            unreadable.add(where + ": AWS managed policy " + name + " is not known to this check; add its statement "
                    + "to TemplatePolicies.AWS_MANAGED_POLICIES");
            return Optional.empty();
        }
        Statement statement = new Statement(name, where + " " + name, "Allow", actions, List.of(), List.of("*"),
                List.of(), null, null);
        statements.add(statement);
        return Optional.of(statement);
    }

    private void samPolicyTemplate(String id, String where, Map<?, ?> use) {
        String name = String.valueOf(use.keySet().iterator().next());
        var expansion = SAM_POLICY_TEMPLATES.get(name);
        if (expansion == null) {
            unreadable.add(where + ": SAM policy template " + name + " is not known to this check; add its expansion "
                    + "(SAM's policy_templates.json) to TemplatePolicies.SAM_POLICY_TEMPLATES");
            return;
        }
        Map<?, ?> parameters = use.get(name) instanceof Map<?, ?> m ? m : Map.of();
        for (Grant grant : expansion.apply(parameters, template.stack())) {
            statements.add(new Statement(id + "." + name, where + " " + name, "Allow", grant.actions(), List.of(),
                    grant.resources(), List.of(), null, null));
        }
    }

    /** Reads a policy document's statements; returns those it read. */
    private List<Statement> document(String id, String where, Object document) {
        List<Statement> read = new ArrayList<>();
        if (!(document instanceof Map<?, ?> policy)) {
            return read;
        }
        List<?> items = list(policy.get("Statement"));
        for (int i = 0; i < items.size(); i++) {
            String at = where + ".Statement[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> s)) {
                unreadable.add(at + ": not a statement");
                continue;
            }
            String sid = s.get("Sid") == null ? null : String.valueOf(s.get("Sid"));
            read.add(new Statement(id + "." + (sid != null ? sid : "Statement[" + i + "]"),
                    at + (sid != null ? " (" + sid + ")" : ""), String.valueOf(s.get("Effect")),
                    strings(s.get("Action")), strings(s.get("NotAction")), strings(s.get("Resource")),
                    strings(s.get("NotResource")), s.get("Principal"), s.get("Condition")));
        }
        statements.addAll(read);
        return read;
    }

    private static String arn(StackContext stack, String service, String resource) {
        return "arn:aws:" + service + ":" + stack.region() + ":" + stack.accountId() + ":" + resource;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }
}
