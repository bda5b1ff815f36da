package dev.relay.local.template;

import static dev.relay.local.template.ResourceTypes.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SAM's {@code Globals} section: properties every resource of a SAM type inherits. As SAM merges them: a resource's
 * own scalar wins, maps merge key by key (so {@code Environment.Variables} combine), lists concatenate globals
 * first, and an intrinsic function on either side is taken whole from the resource.
 */
final class SamGlobals {

    private static final Map<String, String> SECTIONS = Map.of(
            "Function", SERVERLESS_FUNCTION,
            "Api", SERVERLESS_API,
            "HttpApi", SERVERLESS_HTTP_API,
            "SimpleTable", SERVERLESS_SIMPLE_TABLE,
            "StateMachine", SERVERLESS_STATE_MACHINE);

    private final Map<String, Map<?, ?>> byType = new LinkedHashMap<>();

    SamGlobals(Object globals) throws TemplateException {
        if (globals == null) {
            return;
        }
        if (!(globals instanceof Map<?, ?> sections)) {
            throw new TemplateException("Globals", "must be a map of sections");
        }
        for (Map.Entry<?, ?> section : sections.entrySet()) {
            String name = String.valueOf(section.getKey());
            String type = SECTIONS.get(name);
            if (type == null) {
                throw new TemplateException("Globals." + name, "unsupported Globals section; SAM supports "
                        + SECTIONS.keySet().stream().sorted().toList());
            }
            if (!(section.getValue() instanceof Map<?, ?> properties)) {
                throw new TemplateException("Globals." + name, "must be a map of properties");
            }
            byType.put(type, properties);
        }
    }

    /** The resource's properties with the globals for its type merged in. */
    Map<?, ?> apply(String type, Map<?, ?> properties) {
        Map<?, ?> globals = byType.get(type);
        return globals == null ? properties : (Map<?, ?>) merge(globals, properties);
    }

    static Object merge(Object global, Object local) {
        if (isIntrinsic(global) || isIntrinsic(local)) {
            return local;
        }
        if (global instanceof Map<?, ?> globalMap && local instanceof Map<?, ?> localMap) {
            Map<String, Object> merged = new LinkedHashMap<>();
            globalMap.forEach((k, v) -> merged.put(String.valueOf(k), v));
            for (Map.Entry<?, ?> entry : localMap.entrySet()) {
                String key = String.valueOf(entry.getKey());
                merged.put(key, merged.containsKey(key) ? merge(merged.get(key), entry.getValue()) : entry.getValue());
            }
            return merged;
        }
        if (global instanceof List<?> globalList && local instanceof List<?> localList) {
            List<Object> merged = new ArrayList<>(globalList);
            merged.addAll(localList);
            return merged;
        }
        return local;
    }

    private static boolean isIntrinsic(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            String key = String.valueOf(map.keySet().iterator().next());
            return key.equals("Ref") || key.startsWith("Fn::");
        }
        return false;
    }
}
