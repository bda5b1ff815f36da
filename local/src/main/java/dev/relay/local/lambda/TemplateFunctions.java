package dev.relay.local.lambda;

import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The template's {@code AWS::Serverless::Function}s as the local Lambda runs them: handler, deployment jar (the
 * {@code CodeUri} module's {@code target/function.jar}, or {@code CodeUri} itself when it names a jar), environment,
 * timeout, memory and how many environments may run at once. Other properties ({@code LoggingConfig},
 * {@code Policies}, {@code Architectures}, ...) have no local effect.
 */
public final class TemplateFunctions {

    static final String DEPLOYMENT_JAR = "target/function.jar";

    private TemplateFunctions() {
    }

    /**
     * @param extraEnvironment added to every function's environment (the local cloud's {@code AWS_ENDPOINT_URL})
     */
    public static List<FunctionSpec> of(Template template, Map<String, String> extraEnvironment)
            throws TemplateException {
        List<FunctionSpec> functions = new ArrayList<>();
        for (Resource function : template.resourcesOfType(ResourceTypes.SERVERLESS_FUNCTION)) {
            functions.add(spec(template, function, extraEnvironment));
        }
        return functions;
    }

    private static FunctionSpec spec(Template template, Resource function, Map<String, String> extraEnvironment)
            throws TemplateException {
        String where = "Resources." + function.logicalId() + ".Properties";
        String runtime = text(function, "Runtime", "");
        if (!runtime.startsWith("java")) {
            throw new TemplateException(where + ".Runtime", "'" + runtime
                    + "' cannot run locally: the local cloud runs java runtimes");
        }
        String handler = text(function, "Handler", null);
        if (handler == null) {
            throw new TemplateException(where + ".Handler", "is required");
        }
        Path jar = jar(template, function, where);
        Map<String, String> environment = new LinkedHashMap<>();
        if (function.property("Environment.Variables").orElse(Map.of()) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> environment.put(name.toString(), value == null ? "" : value.toString()));
        }
        environment.putAll(extraEnvironment);
        try {
            return new FunctionSpec(function.physicalName(), function.logicalId(), handler, jar, environment,
                    number(function, "Timeout", FunctionSpec.DEFAULT_TIMEOUT_SECONDS, where),
                    number(function, "MemorySize", FunctionSpec.DEFAULT_MEMORY_MB, where),
                    concurrency(function, where), function.attribute("Arn").orElseThrow());
        } catch (IllegalArgumentException e) {
            throw new TemplateException(where, e.getMessage());
        }
    }

    private static Path jar(Template template, Resource function, String where) throws TemplateException {
        String codeUri = text(function, "CodeUri", null);
        if (codeUri == null) {
            throw new TemplateException(where + ".CodeUri", "is required locally (inline code is not supported)");
        }
        Path code = template.directory().resolve(codeUri).normalize();
        Path jar = codeUri.endsWith(".jar") || codeUri.endsWith(".zip") ? code : code.resolve(DEPLOYMENT_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new TemplateException(where + ".CodeUri", "no deployment jar at " + jar
                    + "; build the functions first (./mvnw package -DskipTests)");
        }
        return jar;
    }

    /**
     * Reserved concurrency when set; else the largest {@code ScalingConfig.MaximumConcurrency} of the function's SQS
     * events (Lambda keeps that many busy); else the local default.
     */
    private static int concurrency(Resource function, String where) throws TemplateException {
        if (function.property("ReservedConcurrentExecutions").isPresent()) {
            return number(function, "ReservedConcurrentExecutions", FunctionSpec.DEFAULT_MAX_CONCURRENCY, where);
        }
        int most = 0;
        if (function.properties().get("Events") instanceof Map<?, ?> events) {
            for (Object event : events.values()) {
                if (event instanceof Map<?, ?> definition && definition.get("Properties") instanceof Map<?, ?> p
                        && p.get("ScalingConfig") instanceof Map<?, ?> scaling
                        && scaling.get("MaximumConcurrency") != null) {
                    most = Math.max(most, Integer.parseInt(scaling.get("MaximumConcurrency").toString()));
                }
            }
        }
        return most > 0 ? most : FunctionSpec.DEFAULT_MAX_CONCURRENCY;
    }

    private static int number(Resource function, String property, int fallback, String where)
            throws TemplateException {
        Object value = function.properties().get(property);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw new TemplateException(where + "." + property, "must be a whole number, got " + value);
        }
    }

    private static String text(Resource function, String property, String fallback) {
        Object value = function.properties().get(property);
        return value == null ? fallback : value.toString();
    }
}
