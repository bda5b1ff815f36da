package dev.relay.local.sfn;

import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Creates the template's state machines in the local Step Functions: {@code AWS::Serverless::StateMachine}
 * ({@code DefinitionUri} relative to the template or an inline {@code Definition}, {@code DefinitionSubstitutions},
 * {@code Type}, {@code Name}, {@code Role}) and {@code AWS::StepFunctions::StateMachine} ({@code DefinitionString} or
 * {@code Definition}, {@code StateMachineType}, {@code StateMachineName}, {@code RoleArn}). Each is validated as
 * CreateStateMachine validates, Task resources included, so a broken definition stops the start-up naming its state.
 */
public final class TemplateStateMachines {

    private TemplateStateMachines() {
    }

    /**
     * @return the machines created, in the template's dependency order
     * @throws TemplateException naming the resource, and the state, of the first definition that cannot run
     */
    public static List<StateMachine> create(Template template, StepFunctionsService service)
            throws TemplateException {
        List<StateMachine> created = new ArrayList<>();
        for (Resource resource : template.resources()) {
            if (ResourceTypes.STATE_MACHINES.contains(resource.type())) {
                created.add(create(template, resource, service));
            }
        }
        return created;
    }

    private static StateMachine create(Template template, Resource resource, StepFunctionsService service)
            throws TemplateException {
        String where = "Resources." + resource.logicalId() + ".Properties";
        boolean sam = resource.type().equals(ResourceTypes.SERVERLESS_STATE_MACHINE);
        String definition = template.stateMachineDefinition(resource.logicalId());
        String typeProperty = sam ? "Type" : "StateMachineType";
        String type = resource.property(typeProperty).map(Object::toString).orElse("STANDARD");
        StateMachineType machineType;
        try {
            machineType = StateMachineType.valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TemplateException(where + "." + typeProperty, "'" + type + "' is not STANDARD or EXPRESS");
        }
        String role = resource.property(sam ? "Role" : "RoleArn").map(Object::toString).orElse(null);
        try {
            return service.createStateMachine(resource.physicalName(), definition, machineType, role);
        } catch (StepFunctionsException e) {
            String field = e.code().equals("InvalidDefinition") ? definitionField(resource) : "";
            throw new TemplateException(where + field, e.getMessage());
        }
    }

    private static String definitionField(Resource resource) {
        for (String field : List.of("DefinitionUri", "DefinitionString", "Definition")) {
            if (resource.properties().containsKey(field)) {
                return "." + field;
            }
        }
        return "";
    }
}
