package dev.relay.local.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.local.stepfunctions.DefinitionException;
import dev.relay.local.stepfunctions.Engine;
import dev.relay.local.stepfunctions.EngineClock;
import dev.relay.local.stepfunctions.Execution;
import dev.relay.local.stepfunctions.ExecutionContext;
import dev.relay.local.stepfunctions.ExecutionStatus;
import dev.relay.local.stepfunctions.Json;
import dev.relay.local.stepfunctions.StateMachineDefinition;
import dev.relay.local.stepfunctions.TaskInvoker;
import dev.relay.local.stepfunctions.TaskTokenException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step Functions in the local cloud: state machines and their executions, in memory, run by the ASL {@link Engine}
 * with the given Task integrations. What the API calls do, with AWS's rules and error codes; {@link
 * StepFunctionsEndpoint} puts it on the wire.
 */
public final class StepFunctionsService implements AutoCloseable {

    /** Step Functions' quota for an execution's input and a task token's output. */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /** An EXPRESS execution runs for at most five minutes. */
    private static final Duration EXPRESS_LIMIT = Duration.ofMinutes(5);
    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[^:]+");
    private static final Pattern EXECUTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):(execution|express):([^:]+):[^:]+(:[^:]+)?");
    private static final Pattern MACHINE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private final String region;
    private final String accountId;
    private final Engine engine;
    private final Object lock = new Object();
    private final Map<String, StateMachine> machines = new LinkedHashMap<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();
    /** STANDARD executions by machine ARN and name, for StartExecution's idempotency. */
    private final Map<String, Execution> byName = new HashMap<>();

    /**
     * @param integrations what Task states call
     * @param clock        the engine's time (real time, or {@link EngineClock#accelerated} in tests)
     */
    public StepFunctionsService(String region, String accountId, TaskInvoker integrations, EngineClock clock) {
        this.region = region;
        this.accountId = accountId;
        this.engine = new Engine(integrations, clock);
    }

    // ---- state machines ----

    /**
     * CreateStateMachine: validates the definition (the language, then every Task's resource) and registers it.
     *
     * @throws StepFunctionsException {@code InvalidName}, {@code InvalidDefinition} (listing every problem with its
     *                                location) or {@code StateMachineAlreadyExists}
     */
    public StateMachine createStateMachine(String name, String definition, StateMachineType type, String roleArn) {
        if (name == null || !MACHINE_NAME.matcher(name).matches()) {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "' (1 to 80 characters of "
                    + "A-Z, a-z, 0-9, '-' and '_')");
        }
        StateMachineDefinition parsed;
        try {
            parsed = StateMachineDefinition.parse(definition);
            engine.checkTasks(parsed);
        } catch (DefinitionException e) {
            throw new StepFunctionsException("InvalidDefinition", e.getMessage());
        }
        if (type == StateMachineType.EXPRESS) {
            List<String> callbacks = parsed.tasks().stream().filter(t -> t.resource().endsWith(".waitForTaskToken"))
                    .map(t -> t.location() + ".Resource: EXPRESS state machines do not support the "
                            + ".waitForTaskToken integration pattern").toList();
            if (!callbacks.isEmpty()) {
                throw new StepFunctionsException("InvalidDefinition", new DefinitionException(callbacks).getMessage());
            }
        }
        String arn = "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + name;
        String role = roleArn == null ? "arn:aws:iam::" + accountId + ":role/" + name + "-role" : roleArn;
        StateMachine machine = new StateMachine(arn, name, type, definition, parsed, role, Instant.now());
        synchronized (lock) {
            StateMachine existing = machines.get(arn);
            if (existing != null) {
                if (existing.definitionText().equals(definition) && existing.type() == type
                        && existing.roleArn().equals(role)) {
                    return existing; // CreateStateMachine is idempotent for an identical machine
                }
                throw new StepFunctionsException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn
                        + "'");
            }
            machines.put(arn, machine);
        }
        return machine;
    }

    /** DeleteStateMachine: removes the machine; its running executions are stopped. Unknown ARNs are no error. */
    public void deleteStateMachine(String arn) {
        checkStateMachineArn(arn);
        List<Execution> running = new ArrayList<>();
        synchronized (lock) {
            if (machines.remove(arn) == null) {
                return;
            }
            executions.values().stream().filter(e -> e.context().stateMachineArn().equals(arn)).forEach(running::add);
        }
        running.forEach(execution -> execution.stop("States.Aborted", "The state machine was deleted"));
    }

    /** @throws StepFunctionsException {@code InvalidArn} or {@code StateMachineDoesNotExist} */
    public StateMachine stateMachine(String arn) {
        checkStateMachineArn(arn);
        synchronized (lock) {
            StateMachine machine = machines.get(arn);
            if (machine == null) {
                throw new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn
                        + "'");
            }
            return machine;
        }
    }

    /** Every state machine, in creation order. */
    public List<StateMachine> stateMachines() {
        synchronized (lock) {
            return List.copyOf(machines.values());
        }
    }

    // ---- executions ----

    /**
     * StartExecution. A STANDARD execution is identified by its name: starting the same name again with the same
     * input while it runs returns it; otherwise (a different input, or it has finished) the name is taken.
     *
     * @param name  the execution name, or {@code null} for a generated one
     * @param input the input JSON text, or {@code null} for {@code {}}
     * @throws StepFunctionsException {@code InvalidArn}, {@code StateMachineDoesNotExist}, {@code InvalidName},
     *                                {@code InvalidExecutionInput} or {@code ExecutionAlreadyExists}
     */
    public Execution startExecution(String stateMachineArn, String name, String input) {
        StateMachine machine = stateMachine(stateMachineArn);
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        if (!Engine.isValidName(executionName)) {
            throw new StepFunctionsException("InvalidName", "Invalid Name: '" + executionName + "' (1 to 80 "
                    + "characters, without whitespace, brackets, wildcards, control characters or any of "
                    + "\" # % \\ ^ | ~ ` $ & , ; : /)");
        }
        JsonNode parsedInput = input(input);
        ExecutionContext context = new ExecutionContext(machine.arn(), machine.name(), machine.roleArn(), null,
                machine.type() == StateMachineType.EXPRESS);
        synchronized (lock) {
            String key = machine.arn() + "/" + executionName;
            Execution existing = machine.type() == StateMachineType.STANDARD ? byName.get(key) : null;
            if (existing != null) {
                if (existing.status() == ExecutionStatus.RUNNING && existing.input().equals(parsedInput)) {
                    return existing;
                }
                throw new StepFunctionsException("ExecutionAlreadyExists", "Execution Already Exists: '"
                        + existing.executionArn() + "'" + (existing.status() == ExecutionStatus.RUNNING
                        ? " (it was started with a different input)" : " (it has finished; names are not reused)"));
            }
            Execution execution = engine.start(machine.definition(), executionName, parsedInput, context);
            executions.put(execution.executionArn(), execution);
            if (machine.type() == StateMachineType.STANDARD) {
                byName.put(key, execution);
            }
            return execution;
        }
    }

    /**
     * StartSyncExecution: runs an EXPRESS execution to its end (at most five minutes) and returns it.
     *
     * @throws StepFunctionsException as {@link #startExecution}, or {@code StateMachineTypeNotSupported} for a
     *                                STANDARD machine
     */
    public Execution startSyncExecution(String stateMachineArn, String name, String input) throws InterruptedException {
        if (stateMachine(stateMachineArn).type() != StateMachineType.EXPRESS) {
            throw new StepFunctionsException("StateMachineTypeNotSupported", "This operation is not supported by "
                    + "this type of state machine: StartSyncExecution runs EXPRESS state machines only");
        }
        Execution execution = startExecution(stateMachineArn, name, input);
        if (execution.awaitCompletion(EXPRESS_LIMIT) == ExecutionStatus.RUNNING) {
            execution.stop("States.Timeout", "An EXPRESS execution runs for at most " + EXPRESS_LIMIT.toMinutes()
                    + " minutes");
        }
        return execution;
    }

    /** @throws StepFunctionsException {@code InvalidArn} or {@code ExecutionDoesNotExist} */
    public Execution execution(String executionArn) {
        checkExecutionArn(executionArn);
        synchronized (lock) {
            Execution execution = executions.get(executionArn);
            if (execution == null) {
                throw new StepFunctionsException("ExecutionDoesNotExist", "Execution Does Not Exist: '"
                        + executionArn + "'");
            }
            return execution;
        }
    }

    /**
     * ListExecutions: the machine's executions, most recent first, optionally only those in {@code status}.
     *
     * @throws StepFunctionsException also {@code StateMachineTypeNotSupported} for an EXPRESS machine, as on AWS
     */
    public List<Execution> executions(String stateMachineArn, ExecutionStatus status) {
        StateMachine machine = stateMachine(stateMachineArn);
        if (machine.type() == StateMachineType.EXPRESS) {
            throw new StepFunctionsException("StateMachineTypeNotSupported", "This operation is not supported by "
                    + "this type of state machine: EXPRESS executions are not listed");
        }
        List<Execution> found = new ArrayList<>();
        synchronized (lock) {
            executions.values().stream()
                    .filter(e -> e.context().stateMachineArn().equals(machine.arn()))
                    .filter(e -> status == null || e.status() == status)
                    .forEach(found::add);
        }
        return found.reversed();
    }

    /** StopExecution: aborts a running execution with the given error and cause; a stopped one is left as it is. */
    public Execution stopExecution(String executionArn, String error, String cause) {
        Execution execution = execution(executionArn);
        execution.stop(error, cause);
        return execution;
    }

    // ---- task tokens ----

    /** @throws StepFunctionsException {@code InvalidOutput}, {@code TaskDoesNotExist} or {@code TaskTimedOut} */
    public void sendTaskSuccess(String taskToken, String output) {
        JsonNode parsed;
        try {
            parsed = parse(output, "Invalid Output");
        } catch (StepFunctionsException e) {
            throw new StepFunctionsException("InvalidOutput", e.getMessage());
        }
        withToken(() -> engine.sendTaskSuccess(token(taskToken), parsed));
    }

    /** @throws StepFunctionsException {@code TaskDoesNotExist} or {@code TaskTimedOut} */
    public void sendTaskFailure(String taskToken, String error, String cause) {
        withToken(() -> engine.sendTaskFailure(token(taskToken), error, cause));
    }

    /** @throws StepFunctionsException {@code TaskDoesNotExist} or {@code TaskTimedOut} */
    public void sendTaskHeartbeat(String taskToken) {
        withToken(() -> engine.sendTaskHeartbeat(token(taskToken)));
    }

    @Override
    public void close() {
        engine.close();
    }

    // ---- checks ----

    private static void withToken(Runnable call) {
        try {
            call.run();
        } catch (TaskTokenException e) {
            throw new StepFunctionsException(e.errorCode(), e.getMessage());
        }
    }

    private static String token(String taskToken) {
        if (taskToken == null || taskToken.isEmpty() || taskToken.length() > 2048) {
            throw new StepFunctionsException("InvalidToken", "Invalid Token: '" + taskToken + "'");
        }
        return taskToken;
    }

    private static JsonNode input(String input) {
        try {
            return input == null ? Json.MAPPER.createObjectNode()
                    : parse(input, "Invalid State Machine Execution Input");
        } catch (StepFunctionsException e) {
            throw new StepFunctionsException("InvalidExecutionInput", e.getMessage());
        }
    }

    private static JsonNode parse(String text, String what) {
        if (text == null) {
            throw new StepFunctionsException("ValidationException", what + ": a JSON value is required");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new StepFunctionsException("ValidationException", what + ": larger than " + MAX_PAYLOAD_BYTES
                    + " bytes");
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new StepFunctionsException("ValidationException", what + ": '" + e.getOriginalMessage() + "'");
        }
    }

    private static void checkStateMachineArn(String arn) {
        if (arn == null || !STATE_MACHINE_ARN.matcher(arn).matches()) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: '" + arn + "' is not a state machine ARN "
                    + "(arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)");
        }
    }

    private static void checkExecutionArn(String arn) {
        Matcher matcher = arn == null ? null : EXECUTION_ARN.matcher(arn);
        if (matcher == null || !matcher.matches()) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: '" + arn + "' is not an execution ARN "
                    + "(arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME)");
        }
    }
}
