package dev.relay.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Execution environments as processes: timeouts, crashes, init failures, concurrency, REPORT lines, shutdown. */
class LambdaServiceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestFunctions.RecordingSink SINK = new TestFunctions.RecordingSink();

    private static LambdaService service;

    @BeforeAll
    static void start() {
        service = new LambdaService(LambdaService.Settings.defaults(TestFunctions.REGION, TestFunctions.ACCOUNT)
                .withLogSink(SINK));
        service.register(TestFunctions.spec("sleepy", TestFunctions.PROBE).withTimeoutSeconds(1).withMaxConcurrency(1));
        service.register(TestFunctions.spec("crashy", TestFunctions.PROBE).withMaxConcurrency(1));
        service.register(TestFunctions.spec("missing", "dev.relay.local.lambda.testfn.Missing::handleRequest"));
        service.register(new FunctionSpec("broken", "Broken", "dev.relay.local.lambda.testfn.BrokenInit::handleRequest",
                TestFunctions.jar(), Map.of("BROKEN_INIT", "yes"), 3, 128, 1,
                FunctionSpec.arn(TestFunctions.REGION, TestFunctions.ACCOUNT, "broken")));
        service.register(TestFunctions.spec("wide", TestFunctions.PROBE).withTimeoutSeconds(30).withMaxConcurrency(2));
        service.register(TestFunctions.spec("narrow", TestFunctions.PROBE).withTimeoutSeconds(30).withMaxConcurrency(1));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static InvocationResult invoke(LambdaService lambda, String function, String payload) {
        return lambda.invoke(function, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(InvocationResult result) {
        try {
            return JSON.readTree(result.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long pid(InvocationResult result) {
        assertThat(result.succeeded()).as(result.payloadText()).isTrue();
        return json(result).get("pid").asLong();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aTimeoutKillsTheEnvironmentAndTheNextInvocationGetsAFreshOne() {
        long first = pid(invoke(service, "sleepy", "{}"));

        long began = System.nanoTime();
        InvocationResult timedOut = invoke(service, "sleepy", "{\"sleepMs\":20000}");
        long tookMillis = (System.nanoTime() - began) / 1_000_000;

        assertThat(timedOut.functionError()).contains("Unhandled");
        assertThat(json(timedOut).get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(json(timedOut).get("errorMessage").asText())
                .isEqualTo("RequestId: " + timedOut.requestId() + " Error: Task timed out after 1.00 seconds");
        assertThat(tookMillis).isBetween(900L, 5_000L);
        assertThat(alive(first)).isFalse();
        assertThat(SINK.of("sleepy")).anySatisfy(line -> assertThat(line)
                .startsWith("REPORT RequestId: " + timedOut.requestId()).contains("\tStatus: timeout"));

        long next = pid(invoke(service, "sleepy", "{}"));
        assertThat(next).isNotEqualTo(first);
    }

    @Test
    void aProcessThatExitsIsARuntimeExitErrorAndIsReplaced() {
        long first = pid(invoke(service, "crashy", "{}"));

        InvocationResult crashed = invoke(service, "crashy", "{\"exit\":3}");

        assertThat(crashed.functionError()).contains("Unhandled");
        assertThat(json(crashed).get("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(json(crashed).get("errorMessage").asText())
                .isEqualTo("RequestId: " + crashed.requestId() + " Error: Runtime exited with error: exit status 3");
        assertThat(alive(first)).isFalse();
        long next = pid(invoke(service, "crashy", "{}"));
        assertThat(next).isNotEqualTo(first);
    }

    @Test
    void aMissingHandlerClassIsAnErrorNamingTheClass() {
        InvocationResult result = invoke(service, "missing", "{}");

        assertThat(result.functionError()).contains("Unhandled");
        assertThat(result.payloadText()).contains("dev.relay.local.lambda.testfn.Missing")
                .contains("ClassNotFoundException");
    }

    @Test
    void aHandlerClassThatFailsToInitialiseIsAnInitErrorAndEachInvocationRetriesInit() {
        for (int attempt = 1; attempt <= 2; attempt++) {
            InvocationResult result = invoke(service, "broken", "{}");

            assertThat(result.functionError()).contains("Unhandled");
            assertThat(json(result).get("errorType").asText()).isEqualTo("java.lang.ExceptionInInitializerError");
            assertThat(json(result).get("errorMessage").asText())
                    .isEqualTo("Error loading class dev.relay.local.lambda.testfn.BrokenInit");
        }
        List<String> log = SINK.of("broken");
        assertThat(log).filteredOn(line -> line.contains("TABLE_NAME is not set")).hasSize(2);
        assertThat(log).filteredOn(line -> line.startsWith("INIT_REPORT Init Duration: ")).hasSize(2)
                .allSatisfy(line -> assertThat(line).endsWith("\tPhase: init\tStatus: error"));
    }

    @Test
    void parallelInvocationsUseAtMostTheFunctionsMaximumOfEnvironments() throws Exception {
        List<InvocationResult> results = parallel("wide", 6, "{\"sleepMs\":300}");

        assertThat(results).allSatisfy(result -> assertThat(result.succeeded()).as(result.payloadText()).isTrue());
        assertThat(results.stream().map(LambdaServiceIT::pid).distinct().count()).isBetween(1L, 2L);
    }

    @Test
    void withOneEnvironmentInvocationsRunOneAfterAnother() throws Exception {
        List<JsonNode> runs = parallel("narrow", 3, "{\"sleepMs\":200}").stream().map(LambdaServiceIT::json)
                .sorted(java.util.Comparator.comparingLong(run -> run.get("started").asLong())).toList();

        assertThat(runs).extracting(run -> run.get("pid").asLong()).containsOnly(runs.getFirst().get("pid").asLong());
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).get("started").asLong()).isGreaterThanOrEqualTo(runs.get(i - 1).get("ended").asLong());
        }
    }

    private static List<InvocationResult> parallel(String function, int count, String payload) throws Exception {
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<InvocationResult>> futures = IntStream.range(0, count)
                    .mapToObj(i -> callers.submit(() -> invoke(service, function, payload))).toList();
            List<InvocationResult> results = new java.util.ArrayList<>();
            for (Future<InvocationResult> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @Test
    void prewarmingStartsEnvironmentsUpToTheFunctionsConcurrency() {
        try (LambdaService lambda = new LambdaService(LambdaService.Settings.defaults(TestFunctions.REGION,
                TestFunctions.ACCOUNT).withLogSink(new TestFunctions.RecordingSink()))) {
            lambda.register(TestFunctions.spec("pair", TestFunctions.PROBE).withMaxConcurrency(2));
            long before = functionProcesses();
            lambda.prewarm("pair", 5);
            assertThat(functionProcesses() - before).as("JVMs started").isEqualTo(2);
            lambda.prewarm("pair", 2);
            assertThat(functionProcesses() - before).as("JVMs after prewarming again").isEqualTo(2);
        }
    }

    private static long functionProcesses() {
        return ProcessHandle.current().descendants().filter(p -> p.isAlive() && p.info().commandLine()
                .map(line -> line.contains("AWSLambda")).orElse(false)).count();
    }

    @Test
    void onlyAnEnvironmentsFirstInvocationReportsItsInitDuration() {
        TestFunctions.RecordingSink sink = new TestFunctions.RecordingSink();
        try (LambdaService lambda = new LambdaService(LambdaService.Settings.defaults(TestFunctions.REGION,
                TestFunctions.ACCOUNT).withLogSink(sink))) {
            lambda.register(TestFunctions.spec("reporting", TestFunctions.ECHO).withMemoryMb(512));
            invoke(lambda, "reporting", "{}");
            invoke(lambda, "reporting", "{}");
        }

        List<String> reports = sink.of("reporting").stream().filter(line -> line.startsWith("REPORT ")).toList();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).matches("REPORT RequestId: [0-9a-f-]{36}\tDuration: \\d+\\.\\d{2} ms\t"
                + "Billed Duration: \\d+ ms\tMemory Size: 512 MB\tMax Memory Used: \\d+ MB\tInit Duration: \\d+\\.\\d{2} ms");
        assertThat(reports.get(1)).doesNotContain("Init Duration");
    }

    @Test
    void closeLeavesNoFunctionProcessBehind() {
        LambdaService lambda = new LambdaService(LambdaService.Settings.defaults(TestFunctions.REGION,
                TestFunctions.ACCOUNT).withLogSink(new TestFunctions.RecordingSink()));
        lambda.register(TestFunctions.spec("one", TestFunctions.PROBE));
        lambda.register(TestFunctions.spec("two", TestFunctions.PROBE));
        List<Long> pids = List.of(pid(invoke(lambda, "one", "{}")), pid(invoke(lambda, "two", "{}")));
        assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isTrue());

        lambda.close();
        lambda.close();

        assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).as("pid %d", pid).isFalse());
        assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).doesNotContainAnyElementsOf(pids);
        assertThatThrownBy(() -> invoke(lambda, "one", "{}")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPrewarmedFunctionHasFinishedInitBeforeItsFirstInvocation() {
        service.register(TestFunctions.spec("prewarmed", TestFunctions.PROBE));

        service.prewarm("prewarmed");
        long invokedAt = System.currentTimeMillis();
        JsonNode seen = json(invoke(service, "prewarmed", "{}"));

        assertThat(seen.get("loadedAt").asLong()).isLessThan(invokedAt);
    }

    @Test
    void anUnknownFunctionIsRefusedByName() {
        assertThatThrownBy(() -> invoke(service, "ghost", "{}"))
                .isInstanceOfSatisfying(UnknownFunctionException.class,
                        e -> assertThat(e.functionName()).isEqualTo("ghost"));
    }
}
