package dev.relay.local.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One API Gateway route: a method and a path template ({@code /orders/{id}}, greedy {@code /{proxy+}}), or the HTTP
 * API's {@code $default} catch-all, and the function behind it.
 *
 * @param method        upper-case method, or {@code ANY}
 * @param path          the path template; {@code null} for {@code $default}
 * @param functionName  physical name of the function to invoke
 * @param payloadFormat {@code "2.0"} (HTTP API default) or {@code "1.0"} (REST API, or an HTTP API that asks for it)
 * @param apiId         logical id of the API (or {@code ServerlessHttpApi}/{@code ServerlessRestApi} implicit ones)
 */
public record Route(String method, String path, String functionName, String payloadFormat, String apiId) {

    public Route {
        method = method.toUpperCase(Locale.ROOT);
        if (method.equals("*")) {
            method = "ANY";
        }
    }

    public boolean isDefault() {
        return path == null;
    }

    /** {@code POST /events}, {@code $default}, as API Gateway writes route keys. */
    public String routeKey() {
        return isDefault() ? "$default" : method + " " + path;
    }

    /** The path parameters when this route matches, or empty. */
    public Optional<Map<String, String>> match(String requestMethod, String requestPath) {
        if (!method.equals("ANY") && !method.equals(requestMethod)) {
            return Optional.empty();
        }
        if (isDefault()) {
            return Optional.of(Map.of());
        }
        List<String> template = segments(path);
        List<String> actual = segments(requestPath);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String part = template.get(i);
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= actual.size()) {
                    return Optional.empty();
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", actual.subList(i, actual.size())));
                return Optional.of(parameters);
            }
            if (i >= actual.size()) {
                return Optional.empty();
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                parameters.put(part.substring(1, part.length() - 1), actual.get(i));
            } else if (!part.equals(actual.get(i))) {
                return Optional.empty();
            }
        }
        return template.size() == actual.size() ? Optional.of(parameters) : Optional.empty();
    }

    /** How specific a route is: literal segments beat parameters beat greedy ones, as API Gateway chooses. */
    int specificity() {
        if (isDefault()) {
            return Integer.MIN_VALUE;
        }
        int score = 0;
        for (String part : segments(path)) {
            score += part.endsWith("+}") ? 1 : part.startsWith("{") ? 10 : 100;
        }
        return score * 2 + (method.equals("ANY") ? 0 : 1);
    }

    private static List<String> segments(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
