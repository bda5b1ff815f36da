package dev.relay.onboarding;

import dev.relay.core.Environment;
import dev.relay.core.aws.DynamoDbItems;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The onboarding side effects in DynamoDB, where they can be inspected: the outbox (welcome emails, sales posts),
 * workspaces, CRM contacts, and per-signup progress. Side effects are conditional puts keyed by what they are for;
 * progress changes are single atomic {@code UpdateItem}s (a set {@code ADD}, conditional claims), never a
 * read-modify-write.
 */
public final class DynamoDbOnboarding implements Ports.Outbox, Ports.Workspaces, Ports.CrmContacts, Ports.OnboardingProgress {

    /** The table names, from {@code OUTBOX_TABLE}, {@code WORKSPACES_TABLE}, {@code CRM_CONTACTS_TABLE}, {@code ONBOARDING_PROGRESS_TABLE}. */
    public record Tables(String outbox, String workspaces, String contacts, String progress) {

        public static Tables from(Environment env) {
            return new Tables(env.optional("OUTBOX_TABLE").orElse(null), env.optional("WORKSPACES_TABLE").orElse(null),
                    env.optional("CRM_CONTACTS_TABLE").orElse(null), env.optional("ONBOARDING_PROGRESS_TABLE").orElse(null));
        }
    }

    private final DynamoDbClient dynamo;
    private final Tables tables;

    public DynamoDbOnboarding(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.tables = tables;
    }

    @Override
    public boolean send(Ports.OutboundMessage message) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("message_id", s(message.messageId()));
        item.put("channel", s(message.channel()));
        item.put("to", s(message.to()));
        item.put("subject", s(message.subject()));
        item.put("body", s(message.body()));
        item.put("correlation_id", s(message.correlationId()));
        item.put("status", s("queued"));
        return DynamoDbItems.putIfAbsent(dynamo, table(tables.outbox(), "OUTBOX_TABLE"), item, "message_id");
    }

    @Override
    public boolean provision(Ports.Workspace workspace) {
        return DynamoDbItems.putIfAbsent(dynamo, table(tables.workspaces(), "WORKSPACES_TABLE"), Map.of(
                "workspace_id", s(workspace.workspaceId()),
                "signup_id", s(workspace.signupId()),
                "owner_user_id", s(workspace.ownerUserId()),
                "plan", s(workspace.plan().name().toLowerCase(Locale.ROOT)),
                "seats", AttributeValue.fromN(Integer.toString(workspace.plan().seats())),
                "projects", AttributeValue.fromN(Integer.toString(workspace.plan().projects()))), "workspace_id");
    }

    @Override
    public boolean record(Ports.Contact contact) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("email", s(contact.email()));
        item.put("name", s(contact.name()));
        item.put("plan", s(contact.plan()));
        item.put("signup_id", s(contact.signupId()));
        item.put("lifecycle_stage", s("customer"));
        if (contact.company() != null) {
            item.put("company", s(contact.company()));
        }
        return DynamoDbItems.putIfAbsent(dynamo, table(tables.contacts(), "CRM_CONTACTS_TABLE"), item, "email");
    }

    @Override
    public void start(String flow, String signupId, Instant deadlineAt, Instant now) {
        dynamo.updateItem(b -> b.tableName(progressTable()).key(key(flow))
                .updateExpression("SET signup_id = if_not_exists(signup_id, :sid), deadline_at = if_not_exists(deadline_at, :due), "
                        + "started_at = if_not_exists(started_at, :now)")
                .expressionAttributeValues(Map.of(":sid", s(signupId), ":due", s(deadlineAt.toString()), ":now", s(now.toString()))));
    }

    @Override
    public Ports.Progress recordStep(String flow, String signupId, String step, Instant now) {
        return progress(dynamo.updateItem(b -> b.tableName(progressTable()).key(key(flow))
                .updateExpression("ADD steps :step SET signup_id = if_not_exists(signup_id, :sid), "
                        + "started_at = if_not_exists(started_at, :now)")
                .expressionAttributeValues(Map.of(":step", AttributeValue.fromSs(java.util.List.of(step)),
                        ":sid", s(signupId), ":now", s(now.toString())))
                .returnValues(ReturnValue.ALL_NEW)).attributes());
    }

    @Override
    public Optional<Ports.Progress> get(String flow) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(progressTable()).key(key(flow)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(progress(item));
    }

    @Override
    public boolean markStuck(String flow, Set<String> required, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", s(now.toString()));
        java.util.List<String> has = new java.util.ArrayList<>();
        int i = 0;
        for (String step : new java.util.TreeSet<>(required)) {
            values.put(":r" + i, s(step));
            has.add("contains(steps, :r" + i++ + ")");
        }
        try {
            dynamo.updateItem(b -> b.tableName(progressTable()).key(key(flow))
                    .updateExpression("SET stuck_at = :now")
                    .conditionExpression("attribute_exists(flow) AND attribute_not_exists(stuck_at) AND NOT ("
                            + String.join(" AND ", has) + ")")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Ports.Progress progress(Map<String, AttributeValue> item) {
        Set<String> steps = item.containsKey("steps") ? new HashSet<>(item.get("steps").ss()) : Set.of();
        return new Ports.Progress(text(item, "signup_id"), Set.copyOf(steps), instant(item, "deadline_at"),
                instant(item, "stuck_at"));
    }

    private String progressTable() {
        return table(tables.progress(), "ONBOARDING_PROGRESS_TABLE");
    }

    private static String table(String name, String variable) {
        if (name == null) {
            throw new dev.relay.core.ConfigurationException(variable + " is not set");
        }
        return name;
    }

    private static Map<String, AttributeValue> key(String flow) {
        return Map.of("flow", s(flow));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Instant.parse(item.get(name).s()) : null;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
