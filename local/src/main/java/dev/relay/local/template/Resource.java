package dev.relay.local.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A resource the local cloud runs, fully resolved: properties hold only maps, lists, strings, numbers and
 * booleans; attributes are the {@code Fn::GetAtt} values (Arn, QueueUrl, ...).
 */
public record Resource(String logicalId, String type, String physicalName, Map<String, Object> properties,
        Map<String, String> attributes) {

    public Resource {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A property by dotted path, e.g. {@code Environment.Variables.TABLE}. */
    public Optional<Object> property(String dottedPath) {
        Object current = properties;
        for (String key : dottedPath.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return Optional.empty();
            }
            current = map.get(key);
        }
        return Optional.ofNullable(current);
    }

    public Optional<String> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }
}
