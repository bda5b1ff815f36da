package dev.relay.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A loaded, fully resolved SAM/CloudFormation template: what the local cloud runs, in dependency order, with
 * every intrinsic function evaluated for one {@link StackContext}.
 */
public final class Template {

    private static final Set<String> SECTIONS = Set.of("AWSTemplateFormatVersion", "Description", "Metadata",
            "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Globals");
    private static final Set<String> TRANSFORMS = Set.of("AWS::Serverless-2016-10-31");
    private static final Pattern LOGICAL_ID = Pattern.compile("[A-Za-z0-9]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final StackContext stack;
    private final Map<String, String> parameters;
    private final List<Resource> resources;
    private final List<Resource> allResources;
    private final Map<String, String> refs;
    private final List<NotEmulated> notEmulated;
    private final List<OmittedResource> omittedByCondition;
    private final Map<String, Output> outputs;

    private Template(Path directory, StackContext stack, Map<String, String> parameters, List<Resource> resources,
            List<Resource> allResources, Map<String, String> refs, List<NotEmulated> notEmulated,
            List<OmittedResource> omittedByCondition, Map<String, Output> outputs) {
        this.directory = directory;
        this.stack = stack;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.resources = List.copyOf(resources);
        this.allResources = List.copyOf(allResources);
        this.refs = Collections.unmodifiableMap(refs);
        this.notEmulated = List.copyOf(notEmulated);
        this.omittedByCondition = List.copyOf(omittedByCondition);
        this.outputs = Collections.unmodifiableMap(outputs);
    }

    public static Template load(Path file, StackContext stack) throws TemplateException {
        return load(file, stack, new DefaultPhysicalIds());
    }

    public static Template load(Path file, StackContext stack, PhysicalIds physicalIds) throws TemplateException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TemplateException(file.toString(), "cannot read the template: " + e, e);
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(text, file.getFileName().toString(), directory, stack, physicalIds);
    }

    /** Loads template text; {@code directory} is where relative paths such as {@code DefinitionUri} point from. */
    public static Template parse(String text, String sourceName, Path directory, StackContext stack,
            PhysicalIds physicalIds) throws TemplateException {
        Object root = TemplateYaml.parse(text, sourceName);
        if (!(root instanceof Map<?, ?> template)) {
            throw new TemplateException(sourceName, "a template must be a map of sections");
        }
        return new Loader(template, directory, stack, physicalIds).load();
    }

    public Path directory() {
        return directory;
    }

    public StackContext stack() {
        return stack;
    }

    /** The resources the local cloud runs, each after the resources it refers to. */
    public List<Resource> resources() {
        return resources;
    }

    /**
     * Every resource the template keeps (its {@code Condition} true), emulated or not, resolved as {@link #resources()}
     * are: what checks over the whole deployable template read (IAM policies, alarms, log groups, ...).
     */
    public List<Resource> allResources() {
        return allResources;
    }

    public Optional<Resource> resource(String logicalId) {
        return resources.stream().filter(r -> r.logicalId().equals(logicalId)).findFirst();
    }

    public List<Resource> resourcesOfType(String type) {
        return resources.stream().filter(r -> r.type().equals(type)).toList();
    }

    /** The value of {@code Ref} for any kept resource, emulated or not. */
    public Optional<String> ref(String logicalId) {
        return Optional.ofNullable(refs.get(logicalId));
    }

    /** Effective parameter values; list parameters are comma-joined. */
    public Map<String, String> parameters() {
        return parameters;
    }

    public Map<String, Output> outputs() {
        return outputs;
    }

    /** Resources the template declares that the local cloud does not run: reported, never silently ignored. */
    public List<NotEmulated> notEmulated() {
        return notEmulated;
    }

    public List<OmittedResource> omittedByCondition() {
        return omittedByCondition;
    }

    /** A state machine's resolved {@code DefinitionSubstitutions}. */
    public Map<String, String> definitionSubstitutions(String stateMachineId) throws TemplateException {
        Resource machine = stateMachine(stateMachineId);
        Map<String, String> substitutions = new LinkedHashMap<>();
        if (machine.properties().get("DefinitionSubstitutions") instanceof Map<?, ?> subs) {
            for (Map.Entry<?, ?> entry : subs.entrySet()) {
                substitutions.put(String.valueOf(entry.getKey()), Intrinsics.text(entry.getValue(),
                        "Resources." + stateMachineId + ".Properties.DefinitionSubstitutions." + entry.getKey(), "a substitution"));
            }
        }
        return substitutions;
    }

    /**
     * The state machine's ASL as JSON text, read from {@code DefinitionUri} (relative to the template) or the inline
     * definition, with {@code DefinitionSubstitutions} applied.
     */
    public String stateMachineDefinition(String stateMachineId) throws TemplateException {
        Resource machine = stateMachine(stateMachineId);
        String path = "Resources." + stateMachineId + ".Properties";
        Map<String, Object> properties = machine.properties();
        String definition;
        Object uri = properties.get("DefinitionUri");
        if (uri instanceof String file) {
            definition = definitionFile(directory.resolve(file), path + ".DefinitionUri");
        } else if (uri != null) {
            throw new TemplateException(path + ".DefinitionUri", "an S3 location cannot be read by the local cloud; "
                    + "give a path relative to the template");
        } else if (properties.containsKey("DefinitionS3Location")) {
            throw new TemplateException(path + ".DefinitionS3Location", "an S3 location cannot be read by the local "
                    + "cloud; give the definition inline (DefinitionString or Definition)");
        } else if (properties.get("DefinitionString") instanceof String inline) {
            definition = inline;
        } else if (properties.get("Definition") instanceof Map<?, ?> inline) {
            definition = json(inline, path + ".Definition");
        } else {
            throw new TemplateException(path, "no Definition, DefinitionString or DefinitionUri");
        }
        try {
            return DefinitionSubstitutions.substitute(definition, definitionSubstitutions(stateMachineId));
        } catch (TemplateException e) {
            throw new TemplateException(path + ".DefinitionSubstitutions", e.getMessage(), e);
        }
    }

    private Resource stateMachine(String logicalId) throws TemplateException {
        Resource machine = resource(logicalId).orElseThrow(() -> new TemplateException("Resources." + logicalId,
                "no such resource in the local cloud"));
        if (!ResourceTypes.STATE_MACHINES.contains(machine.type())) {
            throw new TemplateException("Resources." + logicalId, "is a " + machine.type() + ", not a state machine");
        }
        return machine;
    }

    private static String definitionFile(Path file, String path) throws TemplateException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TemplateException(path, "cannot read state machine definition " + file + ": " + e, e);
        }
        if (file.getFileName().toString().endsWith(".json")) {
            return text;
        }
        return json(TemplateYaml.parse(text, file.toString()), path);
    }

    private static String json(Object tree, String path) throws TemplateException {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new TemplateException(path, "cannot write the definition as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One pass over one template. */
    private static final class Loader {
        private final Map<?, ?> template;
        private final Path directory;
        private final StackContext stack;
        private final PhysicalIds physicalIds;

        Loader(Map<?, ?> template, Path directory, StackContext stack, PhysicalIds physicalIds) {
            this.template = template;
            this.directory = directory;
            this.stack = stack;
            this.physicalIds = physicalIds;
        }

        Template load() throws TemplateException {
            checkSections();
            Map<String, Object> parameterValues = StackParameters.effective(template.get("Parameters"),
                    stack.parameterOverrides());
            Map<String, Map<?, ?>> declared = declaredResources();
            Map<String, String> declaredTypes = new LinkedHashMap<>();
            declared.forEach((id, body) -> declaredTypes.put(id, (String) body.get("Type")));
            Intrinsics intrinsics = new Intrinsics(stack, parameterValues, optionalMap("Mappings"),
                    optionalMap("Conditions"), declaredTypes);
            SamGlobals globals = new SamGlobals(template.get("Globals"));

            List<OmittedResource> omitted = new ArrayList<>();
            Map<String, Map<?, ?>> kept = new LinkedHashMap<>();
            for (Map.Entry<String, Map<?, ?>> entry : declared.entrySet()) {
                String id = entry.getKey();
                Object condition = entry.getValue().get("Condition");
                if (condition != null) {
                    String name = Intrinsics.text(condition, "Resources." + id + ".Condition", "Condition");
                    if (!intrinsics.condition(name, "Resources." + id + ".Condition")) {
                        omitted.add(new OmittedResource(id, declaredTypes.get(id), name));
                        intrinsics.omit(id, name);
                        continue;
                    }
                }
                kept.put(id, entry.getValue());
            }

            Map<String, Map<?, ?>> rawProperties = new LinkedHashMap<>();
            ResourceGraph graph = new ResourceGraph();
            for (Map.Entry<String, Map<?, ?>> entry : kept.entrySet()) {
                String id = entry.getKey();
                String type = declaredTypes.get(id);
                Map<?, ?> properties = globals.apply(type, properties(id, entry.getValue()));
                rawProperties.put(id, properties);
                Set<String> needs = new LinkedHashSet<>();
                for (String name : ResourceGraph.referencedNames(properties)) {
                    if (kept.containsKey(name)) {
                        needs.add(name);
                    }
                }
                needs.addAll(dependsOn(id, entry.getValue().get("DependsOn"), declaredTypes, kept));
                graph.add(id, needs);
            }

            List<Resource> resources = new ArrayList<>();
            List<Resource> allResources = new ArrayList<>();
            Map<String, String> refs = new LinkedHashMap<>();
            Map<String, NotEmulated> notEmulated = new LinkedHashMap<>();
            for (String id : graph.order()) {
                String type = declaredTypes.get(id);
                Object resolved = intrinsics.resolveValue(rawProperties.get(id), "Resources." + id + ".Properties");
                @SuppressWarnings("unchecked")
                Map<String, Object> properties = resolved instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                String physicalName = physicalIds.physicalName(id, type, properties, stack);
                String ref = physicalIds.ref(id, type, physicalName, properties, stack);
                Map<String, String> attributes = physicalIds.attributes(id, type, physicalName, properties, stack);
                intrinsics.address(id, new Intrinsics.Addressed(type, ref, attributes));
                refs.put(id, ref);
                Resource resource = new Resource(id, type, physicalName, properties, attributes);
                allResources.add(resource);
                if (ResourceTypes.isEmulated(type)) {
                    resources.add(resource);
                } else {
                    notEmulated.put(id, new NotEmulated(id, type));
                }
            }
            List<NotEmulated> notEmulatedInTemplateOrder = new ArrayList<>(kept.keySet().stream()
                    .filter(notEmulated::containsKey).map(notEmulated::get).toList());
            // A state machine runs locally, but what SAM would wire to start it (schedules, rules, APIs) does not.
            for (Resource resource : resources) {
                if (resource.type().equals(ResourceTypes.SERVERLESS_STATE_MACHINE)
                        && resource.properties().get("Events") instanceof Map<?, ?> events) {
                    events.forEach((name, event) -> notEmulatedInTemplateOrder.add(new NotEmulated(
                            resource.logicalId() + ".Events." + name, (event instanceof Map<?, ?> e
                            ? e.get("Type") : "?") + " event of " + ResourceTypes.SERVERLESS_STATE_MACHINE)));
                }
            }
            // A function runs as one version: no published versions, so nothing for SnapStart to snapshot and restore.
            for (Resource resource : resources) {
                if (ResourceTypes.FUNCTIONS.contains(resource.type()) && resource.properties().containsKey("SnapStart")) {
                    notEmulatedInTemplateOrder.add(new NotEmulated(resource.logicalId() + ".SnapStart",
                            "SnapStart of " + resource.type()));
                }
            }

            Map<String, String> effectiveParameters = new LinkedHashMap<>();
            parameterValues.forEach((name, value) -> effectiveParameters.put(name,
                    value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                            : String.valueOf(value)));
            return new Template(directory, stack, effectiveParameters, resources, allResources, refs,
                    notEmulatedInTemplateOrder, omitted, outputs(intrinsics));
        }

        private void checkSections() throws TemplateException {
            for (Object key : template.keySet()) {
                if (!SECTIONS.contains(String.valueOf(key))) {
                    throw new TemplateException(String.valueOf(key), "unknown top-level section; a template has "
                            + SECTIONS.stream().sorted().toList());
                }
            }
            Object transform = template.get("Transform");
            List<?> transforms = transform instanceof List<?> list ? list : transform == null ? List.of() : List.of(transform);
            for (Object name : transforms) {
                if (!TRANSFORMS.contains(String.valueOf(name))) {
                    throw new TemplateException("Transform", "'" + name + "' is not supported; the local cloud knows "
                            + TRANSFORMS);
                }
            }
        }

        private Map<String, Map<?, ?>> declaredResources() throws TemplateException {
            if (!(template.get("Resources") instanceof Map<?, ?> resources) || resources.isEmpty()) {
                throw new TemplateException("Resources", "a template needs at least one resource");
            }
            Map<String, Map<?, ?>> declared = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : resources.entrySet()) {
                String id = String.valueOf(entry.getKey());
                String path = "Resources." + id;
                if (!LOGICAL_ID.matcher(id).matches()) {
                    throw new TemplateException(path, "a logical ID must be alphanumeric (A-Z, a-z, 0-9)");
                }
                if (!(entry.getValue() instanceof Map<?, ?> body)) {
                    throw new TemplateException(path, "must be a map with Type and Properties");
                }
                if (!(body.get("Type") instanceof String type) || type.isBlank()) {
                    throw new TemplateException(path + ".Type", "missing; every resource needs a Type");
                }
                declared.put(id, body);
            }
            return declared;
        }

        private static Map<?, ?> properties(String id, Map<?, ?> body) throws TemplateException {
            Object properties = body.get("Properties");
            if (properties == null) {
                return Map.of();
            }
            if (!(properties instanceof Map<?, ?> map)) {
                throw new TemplateException("Resources." + id + ".Properties", "must be a map");
            }
            return map;
        }

        private static Set<String> dependsOn(String id, Object dependsOn, Map<String, String> declaredTypes,
                Map<String, Map<?, ?>> kept) throws TemplateException {
            List<?> names = dependsOn instanceof List<?> list ? list : dependsOn == null ? List.of() : List.of(dependsOn);
            Set<String> needs = new LinkedHashSet<>();
            for (Object name : names) {
                String target = String.valueOf(name);
                if (!declaredTypes.containsKey(target)) {
                    throw new TemplateException("Resources." + id + ".DependsOn", "unknown resource '" + target + "'");
                }
                if (kept.containsKey(target)) {
                    needs.add(target);
                }
            }
            return needs;
        }

        private Map<String, Object> optionalMap(String section) throws TemplateException {
            Object value = template.get(section);
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new TemplateException(section, "must be a map");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }

        private Map<String, Output> outputs(Intrinsics intrinsics) throws TemplateException {
            Map<String, Output> outputs = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : optionalMap("Outputs").entrySet()) {
                String id = entry.getKey();
                String path = "Outputs." + id;
                if (!(entry.getValue() instanceof Map<?, ?> body) || !body.containsKey("Value")) {
                    throw new TemplateException(path, "an output needs a Value");
                }
                if (body.get("Condition") != null && !intrinsics.condition(
                        Intrinsics.text(body.get("Condition"), path + ".Condition", "Condition"), path + ".Condition")) {
                    continue;
                }
                Object value = intrinsics.resolveValue(body.get("Value"), path + ".Value");
                String description = body.get("Description") == null ? null
                        : Intrinsics.text(intrinsics.resolveValue(body.get("Description"), path + ".Description"),
                                path + ".Description", "Description");
                String exportName = null;
                if (body.get("Export") instanceof Map<?, ?> export && export.get("Name") != null) {
                    exportName = Intrinsics.text(intrinsics.resolveValue(export.get("Name"), path + ".Export.Name"),
                            path + ".Export.Name", "Export.Name");
                }
                outputs.put(id, new Output(id, value, description, exportName));
            }
            return outputs;
        }
    }
}
