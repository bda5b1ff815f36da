package dev.relay.local.template;

import java.util.Map;

/**
 * How a resource is named and addressed in the cloud it runs in: its physical name, the value of {@code Ref}
 * and its {@code Fn::GetAtt} attributes. {@link DefaultPhysicalIds} gives the local cloud's answers.
 */
public interface PhysicalIds {

    /** The physical name; {@code properties} are already resolved, so an explicit name can be honoured. */
    String physicalName(String logicalId, String type, Map<String, Object> properties, StackContext stack)
            throws TemplateException;

    /** The value {@code Ref} returns for this resource. */
    String ref(String logicalId, String type, String physicalName, Map<String, Object> properties, StackContext stack);

    /** The attributes {@code Fn::GetAtt} can read; an attribute missing here is an error in the template. */
    Map<String, String> attributes(String logicalId, String type, String physicalName, Map<String, Object> properties,
            StackContext stack);
}
