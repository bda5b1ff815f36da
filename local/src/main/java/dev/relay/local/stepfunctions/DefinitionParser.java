package dev.relay.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns definition JSON into {@link State}s, collecting every problem with its JSON location. */
final class DefinitionParser {
    private static final Set<String> TOP_LEVEL = Set.of("Comment", "StartAt", "States", "TimeoutSeconds", "Version",
            "QueryLanguage");
    private static final Set<String> GRAPH = Set.of("Comment", "StartAt", "States", "ProcessorConfig");
    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final Set<String> FLOW = Set.of("Next", "End", "InputPath", "OutputPath");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", union(COMMON, FLOW, Set.of("ResultPath", "Parameters", "Result")),
            "Task", union(COMMON, FLOW, Set.of("Resource", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
                    "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials")),
            "Choice", union(COMMON, Set.of("InputPath", "OutputPath", "Choices", "Default")),
            "Wait", union(COMMON, FLOW, Set.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")),
            "Succeed", union(COMMON, Set.of("InputPath", "OutputPath")),
            "Fail", union(COMMON, Set.of("Error", "Cause", "ErrorPath", "CausePath")),
            "Parallel", union(COMMON, FLOW, Set.of("Branches", "Parameters", "ResultSelector", "ResultPath", "Retry",
                    "Catch")),
            "Map", union(COMMON, FLOW, Set.of("Iterator", "ItemProcessor", "ItemsPath", "ItemSelector", "Parameters",
                    "ResultSelector", "ResultPath", "Retry", "Catch", "MaxConcurrency", "MaxConcurrencyPath",
                    "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount",
                    "ToleratedFailureCountPath", "Label", "ItemReader", "ItemBatcher", "ResultWriter")));
    private static final Set<String> RETRIER = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
            "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");
    private static final Set<String> PREDEFINED_ERRORS = Set.of(StatesError.ALL, StatesError.TASK_FAILED,
            StatesError.TIMEOUT, StatesError.HEARTBEAT_TIMEOUT, StatesError.RUNTIME, StatesError.DATA_LIMIT_EXCEEDED,
            StatesError.NO_CHOICE_MATCHED, StatesError.INTRINSIC_FAILURE, StatesError.PARAMETER_PATH_FAILURE,
            StatesError.RESULT_PATH_MATCH_FAILURE, StatesError.BRANCH_FAILED,
            StatesError.EXCEED_TOLERATED_FAILURE_THRESHOLD, StatesError.PERMISSIONS, StatesError.ITEM_READER_FAILED,
            "States.ResultWriterFailed", "States.Http.Socket", "States.QueryEvaluationError");
    private static final int MAX_STATE_NAME = 80;

    private final List<String> problems = new ArrayList<>();
    private final Set<String> allStateNames = new HashSet<>();

    StateMachineDefinition parse(JsonNode root) {
        if (!root.isObject()) {
            throw new DefinitionException(List.of("the definition must be a JSON object"));
        }
        unknownFields(root, "", TOP_LEVEL, "the top level");
        queryLanguage(root, "");
        Integer timeout = positiveInt(root, "TimeoutSeconds", "");
        String comment = optionalString(root, "Comment", "");
        optionalString(root, "Version", "");
        StateGraph graph = graph(root, "");
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return new StateMachineDefinition(graph, timeout, comment, root);
    }

    /** {@code StartAt} + {@code States} at {@code prefix} ("" at the top, "States.P.Branches[0]." in a branch). */
    private StateGraph graph(JsonNode node, String prefix) {
        String startAt = requiredString(node, "StartAt", prefix);
        JsonNode states = node.get("States");
        Map<String, State> parsed = new LinkedHashMap<>();
        if (states == null || !states.isObject()) {
            problems.add(prefix + "States: must be an object of states");
            return new StateGraph(startAt, parsed);
        }
        if (states.isEmpty()) {
            problems.add(prefix + "States: must contain at least one state");
        }
        List<Transition> transitions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : states.properties()) {
            String name = entry.getKey();
            String location = prefix + "States." + name;
            if (name.isEmpty() || name.length() > MAX_STATE_NAME) {
                problems.add(location + ": a state name must be 1 to " + MAX_STATE_NAME + " characters");
            }
            if (!allStateNames.add(name)) {
                problems.add(location + ": the state name '" + name + "' is used more than once in the state machine");
            }
            State state = state(name, entry.getValue(), location, transitions);
            if (state != null) {
                parsed.put(name, state);
            }
        }
        if (startAt != null && !states.has(startAt)) {
            problems.add(prefix + "StartAt: state '" + startAt + "' does not exist");
        }
        for (Transition transition : transitions) {
            if (!states.has(transition.target())) {
                problems.add(transition.location() + ": state '" + transition.target() + "' does not exist");
            }
        }
        reachability(startAt, states, transitions, prefix);
        boolean terminal = false;
        for (JsonNode state : states) {
            terminal |= state.path("End").asBoolean(false) || "Succeed".equals(state.path("Type").asText())
                    || "Fail".equals(state.path("Type").asText());
        }
        if (!states.isEmpty() && !terminal) {
            problems.add(prefix + "States: no terminal state (End, Succeed or Fail)");
        }
        return new StateGraph(startAt, Map.copyOf(parsed));
    }

    private record Transition(String from, String target, String location) {}

    private void reachability(String startAt, JsonNode states, List<Transition> transitions, String prefix) {
        if (startAt == null || !states.has(startAt)) {
            return;
        }
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(startAt));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (reached.add(name)) {
                transitions.stream().filter(t -> t.from().equals(name) && states.has(t.target()))
                        .forEach(t -> pending.push(t.target()));
            }
        }
        for (Iterator<String> it = states.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!reached.contains(name)) {
                problems.add(prefix + "States." + name + ": state '" + name + "' is not reachable");
            }
        }
    }

    private State state(String name, JsonNode node, String at, List<Transition> transitions) {
        if (!node.isObject()) {
            problems.add(at + ": a state must be a JSON object");
            return null;
        }
        String type = requiredString(node, "Type", at + ".");
        if (type == null) {
            return null;
        }
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            problems.add(at + ".Type: '" + type + "' is not a state type (Pass, Task, Choice, Wait, Succeed, Fail, "
                    + "Parallel, Map)");
            return null;
        }
        unknownFields(node, at + ".", allowed, "a " + type + " state");
        queryLanguage(node, at + ".");
        optionalString(node, "Comment", at + ".");
        String next = allowed.contains("Next") ? nextOrEnd(name, node, at, transitions) : null;
        return switch (type) {
            case "Pass" -> new State.Pass(name, flow(node, at), next, node.get("Result"));
            case "Task" -> task(name, node, at, next, transitions);
            case "Choice" -> choice(name, node, at, transitions);
            case "Wait" -> new State.Wait(name, flow(node, at), next, waitFor(node, at));
            case "Succeed" -> new State.Succeed(name, flow(node, at));
            case "Fail" -> fail(name, node, at);
            case "Parallel" -> parallel(name, node, at, next, transitions);
            default -> map(name, node, at, next, transitions);
        };
    }

    private String nextOrEnd(String name, JsonNode node, String at, List<Transition> transitions) {
        JsonNode next = node.get("Next");
        JsonNode end = node.get("End");
        if (end != null && !end.isBoolean()) {
            problems.add(at + ".End: must be a boolean");
        }
        boolean ends = end != null && end.asBoolean(false);
        if (next != null && ends) {
            problems.add(at + ": has both 'Next' and 'End'; a state either transitions or ends");
            return null;
        }
        if (next == null && !ends) {
            problems.add(at + ": needs 'Next' or '\"End\": true'");
            return null;
        }
        if (next != null) {
            if (!next.isTextual()) {
                problems.add(at + ".Next: must be a state name");
                return null;
            }
            transitions.add(new Transition(name, next.asText(), at + ".Next"));
            return next.asText();
        }
        return null;
    }

    private State.DataFlow flow(JsonNode node, String at) {
        return new State.DataFlow(
                path(node, "InputPath", at, false),
                template(node, "Parameters", at),
                template(node, "ResultSelector", at),
                path(node, "ResultPath", at, true),
                path(node, "OutputPath", at, false));
    }

    /** Absent means {@code $}; JSON null yields Java null (discard). */
    private JsonPath path(JsonNode node, String field, String at, boolean reference) {
        JsonNode value = node.get(field);
        if (value == null) {
            return JsonPath.ROOT;
        }
        if (value.isNull()) {
            return null;
        }
        return pathValue(value, at + "." + field, reference);
    }

    private JsonPath pathValue(JsonNode value, String where, boolean reference) {
        if (!value.isTextual()) {
            problems.add(where + ": must be a JSONPath string");
            return JsonPath.ROOT;
        }
        try {
            JsonPath path = JsonPath.parse(value.asText());
            if (reference && (!path.isDefinite() || path.isContext())) {
                problems.add(where + ": '" + value.asText() + "' must be a reference path (one node of the input, "
                        + "no wildcards, filters or $$)");
            }
            return path;
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
            return JsonPath.ROOT;
        }
    }

    private JsonPath optionalPath(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        return value == null ? null : pathValue(value, at + "." + field, true);
    }

    private PayloadTemplate template(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (field.equals("ResultSelector") && !value.isObject()) {
            problems.add(at + "." + field + ": must be a JSON object");
        }
        return PayloadTemplate.compile(value, at + "." + field, problems);
    }

    private State.Task task(String name, JsonNode node, String at, String next, List<Transition> transitions) {
        String resource = requiredString(node, "Resource", at + ".");
        if (resource != null && !resource.startsWith("arn:")) {
            problems.add(at + ".Resource: '" + resource + "' is not an ARN");
        }
        Integer timeout = positiveInt(node, "TimeoutSeconds", at + ".");
        JsonPath timeoutPath = optionalPath(node, "TimeoutSecondsPath", at);
        Integer heartbeat = positiveInt(node, "HeartbeatSeconds", at + ".");
        JsonPath heartbeatPath = optionalPath(node, "HeartbeatSecondsPath", at);
        exclusive(node, at, "TimeoutSeconds", "TimeoutSecondsPath");
        exclusive(node, at, "HeartbeatSeconds", "HeartbeatSecondsPath");
        if (timeout != null && heartbeat != null && heartbeat >= timeout) {
            problems.add(at + ".HeartbeatSeconds: must be smaller than TimeoutSeconds (" + timeout + ")");
        }
        return new State.Task(name, flow(node, at), next, resource == null ? "arn:invalid" : resource, timeout,
                timeoutPath, heartbeat, heartbeatPath, retriers(node, at), catchers(name, node, at, transitions));
    }

    private State.Choice choice(String name, JsonNode node, String at, List<Transition> transitions) {
        JsonNode choices = node.get("Choices");
        List<State.ChoiceBranch> branches = new ArrayList<>();
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            problems.add(at + ".Choices: must be a non-empty array of Choice Rules");
        } else {
            for (int i = 0; i < choices.size(); i++) {
                String where = at + ".Choices[" + i + "]";
                JsonNode rule = choices.get(i);
                String ruleNext = null;
                if (rule.isObject()) {
                    JsonNode nextNode = rule.get("Next");
                    if (nextNode == null || !nextNode.isTextual()) {
                        problems.add(where + ".Next: a top-level Choice Rule needs 'Next'");
                    } else {
                        ruleNext = nextNode.asText();
                        transitions.add(new Transition(name, ruleNext, where + ".Next"));
                    }
                }
                ChoiceRule parsed = rule(rule, where, true);
                if (parsed != null) {
                    branches.add(new State.ChoiceBranch(parsed, ruleNext));
                }
            }
        }
        JsonNode defaultNode = node.get("Default");
        String defaultNext = null;
        if (defaultNode != null) {
            if (!defaultNode.isTextual()) {
                problems.add(at + ".Default: must be a state name");
            } else {
                defaultNext = defaultNode.asText();
                transitions.add(new Transition(name, defaultNext, at + ".Default"));
            }
        }
        return new State.Choice(name, flow(node, at), List.copyOf(branches), defaultNext);
    }

    private ChoiceRule rule(JsonNode node, String at, boolean topLevel) {
        if (!node.isObject()) {
            problems.add(at + ": a Choice Rule must be a JSON object");
            return null;
        }
        List<String> operators = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            switch (field) {
                case "Variable", "Comment" -> { }
                case "Next" -> {
                    if (!topLevel) {
                        problems.add(at + ".Next: only top-level Choice Rules may have 'Next'");
                    }
                }
                default -> operators.add(field);
            }
        }
        if (operators.size() != 1) {
            problems.add(at + ": a Choice Rule needs exactly one operator, found "
                    + (operators.isEmpty() ? "none" : operators));
            return null;
        }
        String operator = operators.get(0);
        JsonNode operand = node.get(operator);
        switch (operator) {
            case "And", "Or" -> {
                if (node.has("Variable")) {
                    problems.add(at + ".Variable: not allowed with '" + operator + "'");
                }
                if (!operand.isArray() || operand.isEmpty()) {
                    problems.add(at + "." + operator + ": must be a non-empty array of Choice Rules");
                    return null;
                }
                List<ChoiceRule> rules = new ArrayList<>();
                for (int i = 0; i < operand.size(); i++) {
                    ChoiceRule nested = rule(operand.get(i), at + "." + operator + "[" + i + "]", false);
                    if (nested != null) {
                        rules.add(nested);
                    }
                }
                return operator.equals("And") ? new ChoiceRule.And(List.copyOf(rules))
                        : new ChoiceRule.Or(List.copyOf(rules));
            }
            case "Not" -> {
                if (node.has("Variable")) {
                    problems.add(at + ".Variable: not allowed with 'Not'");
                }
                ChoiceRule nested = rule(operand, at + ".Not", false);
                return nested == null ? null : new ChoiceRule.Not(nested);
            }
            default -> {
                return comparison(node, operator, operand, at);
            }
        }
    }

    private ChoiceRule comparison(JsonNode node, String field, JsonNode operand, String at) {
        boolean pathForm = field.endsWith("Path");
        String base = pathForm ? field.substring(0, field.length() - 4) : field;
        ChoiceRule.Operator operator;
        try {
            operator = ChoiceRule.Operator.valueOf(base);
        } catch (IllegalArgumentException e) {
            problems.add(at + "." + field + ": not a Choice Rule operator");
            return null;
        }
        if (pathForm && !operator.hasPathForm()) {
            problems.add(at + "." + field + ": not a Choice Rule operator");
            return null;
        }
        JsonNode variable = node.get("Variable");
        if (variable == null) {
            problems.add(at + ".Variable: required with '" + field + "'");
            return null;
        }
        JsonPath variablePath = pathValue(variable, at + ".Variable", false);
        if (pathForm) {
            return new ChoiceRule.Comparison(variablePath, operator, null, pathValue(operand, at + "." + field, false));
        }
        boolean ok = switch (operator.kind) {
            case STRING -> operand.isTextual();
            case NUMERIC -> operand.isNumber();
            case BOOLEAN, TYPE_TEST -> operand.isBoolean();
            case TIMESTAMP -> operand.isTextual() && ChoiceRule.parseTimestamp(operand.asText()) != null;
        };
        if (!ok) {
            String expected = switch (operator.kind) {
                case STRING -> "a string";
                case NUMERIC -> "a number";
                case BOOLEAN, TYPE_TEST -> "a boolean";
                case TIMESTAMP -> "an RFC 3339 timestamp string";
            };
            problems.add(at + "." + field + ": must be " + expected + ", got " + Json.describe(operand));
        }
        return new ChoiceRule.Comparison(variablePath, operator, operand, null);
    }

    private State.WaitFor waitFor(JsonNode node, String at) {
        List<String> given = new ArrayList<>();
        for (String field : List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")) {
            if (node.has(field)) {
                given.add(field);
            }
        }
        if (given.size() != 1) {
            problems.add(at + ": a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath"
                    + (given.isEmpty() ? "" : ", found " + given));
            return new State.WaitFor.Seconds(0);
        }
        JsonNode value = node.get(given.get(0));
        String where = at + "." + given.get(0);
        return switch (given.get(0)) {
            case "Seconds" -> {
                if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
                    problems.add(where + ": must be a non-negative integer");
                }
                yield new State.WaitFor.Seconds(value.asLong());
            }
            case "Timestamp" -> {
                Instant timestamp = value.isTextual() ? ChoiceRule.parseTimestamp(value.asText()) : null;
                if (timestamp == null) {
                    problems.add(where + ": must be an RFC 3339 timestamp, e.g. 2016-03-14T01:59:00Z");
                }
                yield new State.WaitFor.Timestamp(timestamp);
            }
            case "SecondsPath" -> new State.WaitFor.SecondsPath(pathValue(value, where, true));
            default -> new State.WaitFor.TimestampPath(pathValue(value, where, true));
        };
    }

    private State.Fail fail(String name, JsonNode node, String at) {
        exclusive(node, at, "Error", "ErrorPath");
        exclusive(node, at, "Cause", "CausePath");
        return new State.Fail(name, optionalString(node, "Error", at + "."), optionalString(node, "Cause", at + "."),
                pathOrIntrinsic(node, "ErrorPath", at), pathOrIntrinsic(node, "CausePath", at));
    }

    private IntrinsicArgument pathOrIntrinsic(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(at + "." + field + ": must be a path or an intrinsic function");
            return null;
        }
        try {
            return IntrinsicFunction.looksLikeCall(value.asText()) ? IntrinsicFunction.parse(value.asText())
                    : new IntrinsicArgument.PathArgument(JsonPath.parse(value.asText()));
        } catch (IllegalArgumentException e) {
            problems.add(at + "." + field + ": " + e.getMessage());
            return null;
        }
    }

    private State.Parallel parallel(String name, JsonNode node, String at, String next, List<Transition> transitions) {
        JsonNode branches = node.get("Branches");
        List<StateGraph> graphs = new ArrayList<>();
        if (branches == null || !branches.isArray() || branches.isEmpty()) {
            problems.add(at + ".Branches: must be a non-empty array of {StartAt, States}");
        } else {
            for (int i = 0; i < branches.size(); i++) {
                graphs.add(subGraph(branches.get(i), at + ".Branches[" + i + "]"));
            }
        }
        return new State.Parallel(name, flow(node, at), next, List.copyOf(graphs), retriers(node, at),
                catchers(name, node, at, transitions));
    }

    private StateGraph subGraph(JsonNode node, String at) {
        if (!node.isObject()) {
            problems.add(at + ": must be an object with StartAt and States");
            return new StateGraph(null, Map.of());
        }
        unknownFields(node, at + ".", GRAPH, "a branch or item processor");
        JsonNode config = node.get("ProcessorConfig");
        if (config != null) {
            unknownFields(config, at + ".ProcessorConfig.", Set.of("Mode", "ExecutionType"), "ProcessorConfig");
            String mode = config.path("Mode").asText("INLINE");
            if (!mode.equals("INLINE") && !mode.equals("DISTRIBUTED")) {
                problems.add(at + ".ProcessorConfig.Mode: must be INLINE or DISTRIBUTED");
            }
        }
        return graph(node, at + ".");
    }

    private State.Map map(String name, JsonNode node, String at, String next, List<Transition> transitions) {
        for (String unsupported : List.of("ItemReader", "ItemBatcher", "ResultWriter")) {
            if (node.has(unsupported)) {
                problems.add(at + "." + unsupported + ": not supported by the local engine (Distributed Map reading "
                        + "from S3 is not emulated)");
            }
        }
        exclusive(node, at, "ItemProcessor", "Iterator");
        exclusive(node, at, "ItemSelector", "Parameters");
        exclusive(node, at, "MaxConcurrency", "MaxConcurrencyPath");
        exclusive(node, at, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
        exclusive(node, at, "ToleratedFailureCount", "ToleratedFailureCountPath");
        String processorField = node.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        StateGraph processor;
        if (!node.has(processorField)) {
            problems.add(at + ": a Map state needs ItemProcessor (or the legacy Iterator)");
            processor = new StateGraph(null, Map.of());
        } else {
            processor = subGraph(node.get(processorField), at + "." + processorField);
        }
        State.DataFlow flow = flow(node, at);
        PayloadTemplate selector = template(node, node.has("ItemSelector") ? "ItemSelector" : "Parameters", at);
        // Parameters in a Map state is the legacy name of ItemSelector: it shapes each item, not the Map's input.
        flow = new State.DataFlow(flow.inputPath(), null, flow.resultSelector(), flow.resultPath(), flow.outputPath());
        Integer maxConcurrency = nonNegativeInt(node, "MaxConcurrency", at + ".");
        JsonNode percentage = node.get("ToleratedFailurePercentage");
        Double tolerated = null;
        if (percentage != null) {
            if (!percentage.isNumber() || percentage.asDouble() < 0 || percentage.asDouble() > 100) {
                problems.add(at + ".ToleratedFailurePercentage: must be a number from 0 to 100");
            } else {
                tolerated = percentage.asDouble();
            }
        }
        optionalString(node, "Label", at + ".");
        JsonPath itemsPath = node.has("ItemsPath") ? pathValue(node.get("ItemsPath"), at + ".ItemsPath", true)
                : JsonPath.ROOT;
        return new State.Map(name, flow, next, itemsPath, selector, processor, maxConcurrency,
                optionalPath(node, "MaxConcurrencyPath", at), tolerated,
                optionalPath(node, "ToleratedFailurePercentagePath", at),
                nonNegativeInt(node, "ToleratedFailureCount", at + "."),
                optionalPath(node, "ToleratedFailureCountPath", at), retriers(node, at),
                catchers(name, node, at, transitions));
    }

    private List<State.Retrier> retriers(JsonNode node, String at) {
        JsonNode retry = node.get("Retry");
        if (retry == null) {
            return List.of();
        }
        if (!retry.isArray()) {
            problems.add(at + ".Retry: must be an array of Retriers");
            return List.of();
        }
        List<State.Retrier> retriers = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            String where = at + ".Retry[" + i + "]";
            JsonNode r = retry.get(i);
            if (!r.isObject()) {
                problems.add(where + ": must be an object");
                continue;
            }
            unknownFields(r, where + ".", RETRIER, "a Retrier");
            List<String> errors = errorEquals(r, where, i == retry.size() - 1);
            Integer interval = positiveInt(r, "IntervalSeconds", where + ".");
            Integer maxAttempts = nonNegativeInt(r, "MaxAttempts", where + ".");
            Integer maxDelay = positiveInt(r, "MaxDelaySeconds", where + ".");
            double backoff = 2.0;
            JsonNode rate = r.get("BackoffRate");
            if (rate != null) {
                if (!rate.isNumber() || rate.asDouble() < 1.0) {
                    problems.add(where + ".BackoffRate: must be a number greater than or equal to 1.0");
                } else {
                    backoff = rate.asDouble();
                }
            }
            State.Jitter jitter = State.Jitter.NONE;
            String jitterText = optionalString(r, "JitterStrategy", where + ".");
            if (jitterText != null) {
                try {
                    jitter = State.Jitter.valueOf(jitterText);
                } catch (IllegalArgumentException e) {
                    problems.add(where + ".JitterStrategy: must be FULL or NONE, got '" + jitterText + "'");
                }
            }
            retriers.add(new State.Retrier(errors, interval == null ? 1 : interval,
                    maxAttempts == null ? 3 : maxAttempts, backoff, maxDelay, jitter));
        }
        return List.copyOf(retriers);
    }

    private List<State.Catcher> catchers(String name, JsonNode node, String at, List<Transition> transitions) {
        JsonNode catchNode = node.get("Catch");
        if (catchNode == null) {
            return List.of();
        }
        if (!catchNode.isArray()) {
            problems.add(at + ".Catch: must be an array of Catchers");
            return List.of();
        }
        List<State.Catcher> catchers = new ArrayList<>();
        for (int i = 0; i < catchNode.size(); i++) {
            String where = at + ".Catch[" + i + "]";
            JsonNode c = catchNode.get(i);
            if (!c.isObject()) {
                problems.add(where + ": must be an object");
                continue;
            }
            unknownFields(c, where + ".", CATCHER, "a Catcher");
            List<String> errors = errorEquals(c, where, i == catchNode.size() - 1);
            String next = requiredString(c, "Next", where + ".");
            if (next != null) {
                transitions.add(new Transition(name, next, where + ".Next"));
            }
            catchers.add(new State.Catcher(errors, next, path(c, "ResultPath", where, true)));
        }
        return List.copyOf(catchers);
    }

    private List<String> errorEquals(JsonNode node, String at, boolean last) {
        JsonNode errors = node.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            problems.add(at + ".ErrorEquals: must be a non-empty array of error names");
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode error : errors) {
            if (!error.isTextual()) {
                problems.add(at + ".ErrorEquals: error names must be strings, got " + Json.describe(error));
                continue;
            }
            String name = error.asText();
            if (name.startsWith("States.") && !PREDEFINED_ERRORS.contains(name)) {
                problems.add(at + ".ErrorEquals: '" + name + "' is not a predefined error; names starting with "
                        + "'States.' are reserved");
            }
            names.add(name);
        }
        if (names.contains(StatesError.ALL) && (names.size() > 1 || !last)) {
            problems.add(at + ".ErrorEquals: 'States.ALL' must appear alone, in the last "
                    + (at.contains(".Retry[") ? "Retrier" : "Catcher"));
        }
        return List.copyOf(names);
    }

    private void queryLanguage(JsonNode node, String prefix) {
        String language = optionalString(node, "QueryLanguage", prefix);
        if (language != null && !language.equals("JSONPath")) {
            problems.add(prefix + "QueryLanguage: '" + language + "' is not supported by the local engine; only "
                    + "JSONPath is");
        }
    }

    private void unknownFields(JsonNode node, String prefix, Set<String> allowed, String what) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                problems.add(prefix + field + ": field is not supported in " + what);
            }
        }
    }

    private void exclusive(JsonNode node, String at, String a, String b) {
        if (node.has(a) && node.has(b)) {
            problems.add(at + ": '" + a + "' and '" + b + "' are mutually exclusive");
        }
    }

    private String requiredString(JsonNode node, String field, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            problems.add(prefix + field + ": " + (value == null ? "required" : "must be a string"));
            return null;
        }
        return value.asText();
    }

    private String optionalString(JsonNode node, String field, String prefix) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(prefix + field + ": must be a string");
            return null;
        }
        return value.asText();
    }

    private Integer positiveInt(JsonNode node, String field, String prefix) {
        Integer value = nonNegativeInt(node, field, prefix);
        if (value != null && value == 0) {
            problems.add(prefix + field + ": must be a positive integer");
            return null;
        }
        return value;
    }

    private Integer nonNegativeInt(JsonNode node, String field, String prefix) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            problems.add(prefix + field + ": must be a non-negative integer, got " + Json.describe(value));
            return null;
        }
        return value.asInt();
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
