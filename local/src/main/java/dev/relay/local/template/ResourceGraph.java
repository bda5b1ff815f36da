package dev.relay.local.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which resources refer to which, and an order in which each comes after everything it needs. */
final class ResourceGraph {

    private final Map<String, Set<String>> needs = new LinkedHashMap<>();

    /** Declares a resource and the resources it needs; call in template order to keep that order where free. */
    void add(String logicalId, Set<String> dependencies) {
        needs.put(logicalId, dependencies);
    }

    /** Dependencies first; a cycle is an error naming it. */
    List<String> order() throws TemplateException {
        List<String> ordered = new ArrayList<>();
        Map<String, Boolean> done = new HashMap<>();
        for (String id : needs.keySet()) {
            visit(id, done, new ArrayList<>(), ordered);
        }
        return ordered;
    }

    private void visit(String id, Map<String, Boolean> done, List<String> trail, List<String> ordered)
            throws TemplateException {
        Boolean finished = done.get(id);
        if (Boolean.TRUE.equals(finished)) {
            return;
        }
        if (Boolean.FALSE.equals(finished)) {
            List<String> cycle = new ArrayList<>(trail.subList(trail.indexOf(id), trail.size()));
            cycle.add(id);
            throw new TemplateException("Resources", "circular dependency: " + String.join(" -> ", cycle));
        }
        done.put(id, false);
        trail.add(id);
        for (String dependency : needs.getOrDefault(id, Set.of())) {
            if (needs.containsKey(dependency)) {
                visit(dependency, done, trail, ordered);
            }
        }
        trail.removeLast();
        done.put(id, true);
        ordered.add(id);
    }

    /** Every name a tree may refer to through Ref, Fn::GetAtt or Fn::Sub; callers keep the resource names. */
    static Set<String> referencedNames(Object node) {
        Set<String> names = new LinkedHashSet<>();
        collect(node, names);
        return names;
    }

    private static void collect(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                Object argument = map.values().iterator().next();
                switch (key) {
                    case "Ref" -> names.add(String.valueOf(argument).replaceFirst(
                            java.util.regex.Pattern.quote(Intrinsics.ALIAS_SUFFIX) + "$", ""));
                    case "Fn::GetAtt" -> {
                        if (argument instanceof String dotted) {
                            names.add(dotted.contains(".") ? dotted.substring(0, dotted.indexOf('.')) : dotted);
                        } else if (argument instanceof List<?> list && !list.isEmpty()) {
                            names.add(String.valueOf(list.getFirst()));
                        }
                    }
                    case "Fn::Sub" -> {
                        if (argument instanceof String template) {
                            subVariables(template, Set.of(), names);
                        } else if (argument instanceof List<?> list && list.size() == 2
                                && list.get(0) instanceof String template && list.get(1) instanceof Map<?, ?> vars) {
                            Set<String> local = new LinkedHashSet<>();
                            vars.keySet().forEach(k -> local.add(String.valueOf(k)));
                            subVariables(template, local, names);
                        }
                    }
                    default -> {
                    }
                }
            }
            map.values().forEach(value -> collect(value, names));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, names));
        }
    }

    private static void subVariables(String template, Set<String> local, Set<String> names) {
        int at = 0;
        while (true) {
            int open = template.indexOf("${", at);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (open < 0 || close < 0) {
                return;
            }
            String name = template.substring(open + 2, close).strip();
            if (!name.startsWith("!") && !local.contains(name)) {
                names.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
            }
            at = close + 1;
        }
    }
}
