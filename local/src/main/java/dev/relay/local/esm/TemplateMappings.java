package dev.relay.local.esm;

import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The template's SQS event source mappings: SAM functions' {@code Type: SQS} events and
 * {@code AWS::Lambda::EventSourceMapping}s whose source is a queue. A mapping Lambda would refuse is a template
 * error naming the event and the property.
 */
public final class TemplateMappings {

    private TemplateMappings() {
    }

    public static List<SqsEventSourceConfig> of(Template template) throws TemplateException {
        List<SqsEventSourceConfig> mappings = new ArrayList<>();
        for (Resource function : template.resourcesOfType(ResourceTypes.SERVERLESS_FUNCTION)) {
            if (!(function.properties().get("Events") instanceof Map<?, ?> events)) {
                continue;
            }
            for (Map.Entry<?, ?> event : events.entrySet()) {
                if (event.getValue() instanceof Map<?, ?> definition && "SQS".equals(definition.get("Type"))) {
                    Map<String, ?> properties = properties(definition.get("Properties"));
                    mappings.add(config(function.physicalName(), properties, "Resources." + function.logicalId()
                            + ".Properties.Events." + event.getKey() + ".Properties"));
                }
            }
        }
        for (Resource mapping : template.resourcesOfType(ResourceTypes.EVENT_SOURCE_MAPPING)) {
            Object source = mapping.properties().get("EventSourceArn");
            if (source != null && source.toString().startsWith("arn:aws:sqs:")) {
                Object function = mapping.properties().get("FunctionName");
                if (function == null) {
                    throw new TemplateException("Resources." + mapping.logicalId() + ".Properties.FunctionName",
                            "is required");
                }
                String name = function.toString().replaceFirst("^arn:[^:]+:lambda:[^:]+:[^:]+:function:", "");
                mappings.add(config(name, mapping.properties(), "Resources." + mapping.logicalId() + ".Properties"));
            }
        }
        return mappings;
    }

    private static SqsEventSourceConfig config(String functionName, Map<String, ?> properties, String where)
            throws TemplateException {
        try {
            return SqsEventSourceConfig.fromProperties(functionName, properties);
        } catch (InvalidMappingException e) {
            throw new TemplateException(where + "." + e.field(), e.getMessage().substring(e.field().length() + 2));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> properties(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, ?>) map : Map.of();
    }
}
