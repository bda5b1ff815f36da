package dev.relay.local.api;

import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routes of every {@code HttpApi} and {@code Api} event in the template, served together on one port as
 * {@code sam local start-api} does. The most specific matching route wins.
 */
public final class Routes {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            "ANY", "*");

    private final List<Route> routes;

    public Routes(List<Route> routes) {
        this.routes = routes.stream().sorted(Comparator.comparingInt(Route::specificity).reversed()).toList();
    }

    public static Routes of(Template template) throws TemplateException {
        List<Route> routes = new ArrayList<>();
        for (Resource function : template.resourcesOfType(ResourceTypes.SERVERLESS_FUNCTION)) {
            if (!(function.properties().get("Events") instanceof Map<?, ?> events)) {
                continue;
            }
            for (Map.Entry<?, ?> event : events.entrySet()) {
                String where = "Resources." + function.logicalId() + ".Properties.Events." + event.getKey();
                if (!(event.getValue() instanceof Map<?, ?> definition)) {
                    continue;
                }
                Object type = definition.get("Type");
                if (!"HttpApi".equals(type) && !"Api".equals(type)) {
                    continue;
                }
                Map<?, ?> properties = definition.get("Properties") instanceof Map<?, ?> p ? p : Map.of();
                routes.add(route(where, "HttpApi".equals(type), properties, function.physicalName()));
            }
        }
        return new Routes(routes);
    }

    private static Route route(String where, boolean httpApi, Map<?, ?> properties, String functionName)
            throws TemplateException {
        Object path = properties.get("Path");
        Object method = properties.get("Method");
        if (httpApi && path == null && method == null) {
            return new Route("ANY", null, functionName, format(properties, "2.0"), api(properties, "ServerlessHttpApi"));
        }
        if (!(path instanceof String p) || !p.startsWith("/")) {
            throw new TemplateException(where + ".Properties.Path", "must be a path starting with '/', got " + path);
        }
        if (!(method instanceof String m) || !METHODS.contains(m.toUpperCase(java.util.Locale.ROOT))) {
            throw new TemplateException(where + ".Properties.Method",
                    "must be one of " + new java.util.TreeSet<>(METHODS) + ", got " + method);
        }
        return httpApi
                ? new Route(m, p, functionName, format(properties, "2.0"), api(properties, "ServerlessHttpApi"))
                : new Route(m, p, functionName, "1.0", api(properties, "ServerlessRestApi"));
    }

    private static String format(Map<?, ?> properties, String fallback) {
        Object format = properties.get("PayloadFormatVersion");
        return format == null ? fallback : format.toString();
    }

    private static String api(Map<?, ?> properties, String implicit) {
        Object id = properties.containsKey("ApiId") ? properties.get("ApiId") : properties.get("RestApiId");
        return id == null ? implicit : id.toString();
    }

    public List<Route> all() {
        return routes;
    }

    /** The route for a request, with its path parameters. */
    public Optional<Map.Entry<Route, Map<String, String>>> find(String method, String path) {
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.match(method, path);
            if (parameters.isPresent()) {
                return Optional.of(Map.entry(route, parameters.get()));
            }
        }
        return Optional.empty();
    }
}
