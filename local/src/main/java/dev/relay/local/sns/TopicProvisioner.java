package dev.relay.local.sns;

import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the template's topics and subscriptions in the local SNS: {@code AWS::SNS::Topic} (with inline
 * {@code Subscription}s), {@code AWS::SNS::Subscription}, and SAM functions' {@code SNS} events. SNS's own refusal
 * becomes a template error naming the resource.
 */
public final class TopicProvisioner {

    private static final Set<String> NOT_TOPIC_ATTRIBUTES = Set.of("TopicName", "Subscription", "Tags");
    private static final Set<String> NOT_SUBSCRIPTION_ATTRIBUTES = Set.of("TopicArn", "Protocol", "Endpoint",
            "Region");

    private final SnsService sns;

    public TopicProvisioner(SnsService sns) {
        this.sns = sns;
    }

    public void create(Template template) throws TemplateException {
        for (Resource topic : template.resourcesOfType(ResourceTypes.SNS_TOPIC)) {
            String where = "Resources." + topic.logicalId();
            Topic created = call(where, () -> sns.createTopic(topic.physicalName(),
                    SnsService.attributesFromTemplate(without(topic.properties(), NOT_TOPIC_ATTRIBUTES))));
            if (topic.properties().get("Subscription") instanceof List<?> inline) {
                for (Object entry : inline) {
                    Map<?, ?> subscription = entry instanceof Map<?, ?> map ? map : Map.of();
                    call(where + ".Properties.Subscription", () -> sns.subscribe(created.arn(),
                            text(subscription.get("Protocol")), text(subscription.get("Endpoint")), Map.of()));
                }
            }
        }
        for (Resource subscription : template.resourcesOfType(ResourceTypes.SNS_SUBSCRIPTION)) {
            Map<String, Object> properties = subscription.properties();
            call("Resources." + subscription.logicalId(), () -> sns.subscribe(text(properties.get("TopicArn")),
                    text(properties.get("Protocol")), text(properties.get("Endpoint")),
                    SnsService.attributesFromTemplate(without(properties, NOT_SUBSCRIPTION_ATTRIBUTES))));
        }
        for (Resource function : template.resourcesOfType(ResourceTypes.SERVERLESS_FUNCTION)) {
            if (!(function.properties().get("Events") instanceof Map<?, ?> events)) {
                continue;
            }
            for (Map.Entry<?, ?> event : events.entrySet()) {
                if (event.getValue() instanceof Map<?, ?> definition && "SNS".equals(definition.get("Type"))) {
                    subscribeFunction(function, event.getKey().toString(),
                            definition.get("Properties") instanceof Map<?, ?> p ? p : Map.of());
                }
            }
        }
    }

    private void subscribeFunction(Resource function, String eventName, Map<?, ?> properties)
            throws TemplateException {
        String where = "Resources." + function.logicalId() + ".Properties.Events." + eventName + ".Properties";
        if (properties.containsKey("SqsSubscription")) {
            throw new TemplateException(where + ".SqsSubscription", "is not emulated locally: declare the queue, "
                    + "its SNS subscription and the function's SQS event explicitly");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String name : List.of("FilterPolicy", "FilterPolicyScope", "RedrivePolicy")) {
            if (properties.get(name) != null) {
                attributes.put(name, properties.get(name));
            }
        }
        String functionArn = function.attribute("Arn").orElseThrow(() -> new TemplateException(
                "Resources." + function.logicalId(), "has no Arn attribute"));
        call(where, () -> sns.subscribe(text(properties.get("Topic")), "lambda", functionArn,
                SnsService.attributesFromTemplate(attributes)));
    }

    private static Map<String, Object> without(Map<String, Object> properties, Set<String> names) {
        Map<String, Object> kept = new LinkedHashMap<>(properties);
        kept.keySet().removeAll(names);
        return kept;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private interface SnsCall<T> {
        T run();
    }

    private static <T> T call(String where, SnsCall<T> call) throws TemplateException {
        try {
            return call.run();
        } catch (SnsException e) {
            throw new TemplateException(where, e.getMessage());
        }
    }
}
