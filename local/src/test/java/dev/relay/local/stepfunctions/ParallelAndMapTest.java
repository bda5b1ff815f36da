package dev.relay.local.stepfunctions;

import static dev.relay.local.stepfunctions.Machines.json;
import static dev.relay.local.stepfunctions.Machines.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelAndMapTest {

    @Test
    void parallelOutputsOneElementPerBranchInBranchOrder() {
        Execution execution = run("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
                  "ResultSelector":{"first.$":"$[0]","second.$":"$[1].v"},
                  "Branches":[
                    {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"Next":"A"},
                                             "A":{"Type":"Pass","Result":"slow","End":true}}},
                    {"StartAt":"B","States":{"B":{"Type":"Pass","Parameters":{"v.$":"$.x"},"End":true}}}]}}}""",
                "{\"x\":42}");
        assertThat(execution.output()).isEqualTo(json("{\"first\":\"slow\",\"second\":42}"));
        assertThat(Machines.eventTypes(execution)).containsSubsequence("ParallelStateEntered",
                "ParallelStateStarted", "ParallelStateSucceeded", "ParallelStateExited");
    }

    @Test
    void aFailingBranchFailsTheParallelWithTheBranchsOwnError() {
        Execution execution = run("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Done",
                  "Catch":[{"ErrorEquals":["Inventory.OutOfStock"],"ResultPath":"$.failure","Next":"Caught"}],
                  "Branches":[
                    {"StartAt":"Ok","States":{"Ok":{"Type":"Pass","End":true}}},
                    {"StartAt":"Bad","States":{"Bad":{"Type":"Fail","Error":"Inventory.OutOfStock","Cause":"sku 9"}}}]},
                  "Done":{"Type":"Succeed"},"Caught":{"Type":"Pass","End":true}}}""", "{\"a\":1}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.output()).isEqualTo(json(
                "{\"a\":1,\"failure\":{\"Error\":\"Inventory.OutOfStock\",\"Cause\":\"sku 9\"}}"));
        assertThat(Machines.eventTypes(execution)).contains("FailStateEntered", "ParallelStateFailed");
    }

    @Test
    void anUncaughtBranchFailureFailsTheExecution() {
        Execution execution = run("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                    {"StartAt":"Bad","States":{"Bad":{"Type":"Fail","Error":"E","Cause":"c"}}}]}}}""", "{}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("E");
    }

    @Test
    void mapRunsTheProcessorPerItemWithItemSelectorAndContext() {
        Execution execution = run("""
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.orders",
                  "ItemSelector":{"index.$":"$$.Map.Item.Index","order.$":"$$.Map.Item.Value","customer.$":"$.customer"},
                  "ItemProcessor":{"StartAt":"Price","States":{
                     "Price":{"Type":"Pass","Parameters":{"line.$":"States.Format('{}-{}', $.customer, $.index)",
                                                          "qty.$":"$.order.qty"},"End":true}}},
                  "ResultPath":"$.lines"}}}""", """
                {"customer":"c7","orders":[{"qty":1},{"qty":2},{"qty":3}]}""");
        assertThat(execution.output().get("lines")).isEqualTo(json("""
                [{"line":"c7-0","qty":1},{"line":"c7-1","qty":2},{"line":"c7-2","qty":3}]"""));
        assertThat(Machines.eventTypes(execution).stream().filter("MapIterationSucceeded"::equals)).hasSize(3);
        assertThat(execution.history().stream().filter(e -> e.type().equals("MapStateStarted")).findFirst()
                .orElseThrow().details().get("length").asInt()).isEqualTo(3);
    }

    @Test
    void legacyIteratorAndParametersStillWork() {
        Execution execution = run("""
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemsPath":"$.items",
                  "Parameters":{"v.$":"$$.Map.Item.Value"},
                  "Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","OutputPath":"$.v","End":true}}}}}}""",
                "{\"items\":[\"a\",\"b\"]}");
        assertThat(execution.output()).isEqualTo(json("[\"a\",\"b\"]"));
    }

    @Test
    void maxConcurrencyOneProcessesItemsStrictlyInOrder() {
        List<Integer> started = new CopyOnWriteArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Execution execution = run("""
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"MaxConcurrency":1,
                  "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
                     "Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}""", "[0,1,2,3,4,5]", request -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            started.add(request.parameters().asInt());
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return request.parameters();
        });
        assertThat(execution.output()).isEqualTo(json("[0,1,2,3,4,5]"));
        assertThat(started).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(maxInFlight.get()).isEqualTo(1);
    }

    private static final String FLAKY_MAP = """
            {"StartAt":"M","States":{"M":{"Type":"Map","End":true,%s
              "ItemProcessor":{"StartAt":"C","States":{
                 "C":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":false,"Next":"Bad"}],"Default":"Good"},
                 "Bad":{"Type":"Fail","Error":"Item.Bad","Cause":"bad item"},
                 "Good":{"Type":"Pass","Result":"fine","End":true}}}}}}""";

    private static final String TEN_ITEMS_TWO_BAD = """
            [{"ok":true},{"ok":false},{"ok":true},{"ok":true},{"ok":true},
             {"ok":true},{"ok":true},{"ok":false},{"ok":true},{"ok":true}]""";

    @Test
    void failuresWithinToleratedFailurePercentageLetTheMapSucceed() {
        Execution execution = run(FLAKY_MAP.formatted("\"ToleratedFailurePercentage\":20,"), TEN_ITEMS_TWO_BAD);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = execution.output();
        assertThat(output.get(0).asText()).isEqualTo("fine");
        assertThat(output.get(1)).isEqualTo(json("{\"Error\":\"Item.Bad\",\"Cause\":\"bad item\"}"));
        assertThat(Machines.eventTypes(execution).stream().filter("MapIterationFailed"::equals)).hasSize(2);
    }

    @Test
    void exceedingToleratedFailurePercentageFailsTheMap() {
        Execution execution = run(FLAKY_MAP.formatted("\"ToleratedFailurePercentage\":10,"), TEN_ITEMS_TWO_BAD);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertThat(Machines.eventTypes(execution)).contains("MapStateFailed");
    }

    @Test
    void exceedingToleratedFailureCountFailsTheMap() {
        Execution execution = run(FLAKY_MAP.formatted("\"ToleratedFailureCount\":1,"), TEN_ITEMS_TWO_BAD);
        assertThat(execution.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
    }

    @Test
    void withoutToleranceTheFirstFailingIterationFailsTheMapWithItsError() {
        Execution execution = run(FLAKY_MAP.formatted("\"MaxConcurrency\":1,"), TEN_ITEMS_TWO_BAD);
        assertThat(execution.error()).isEqualTo("Item.Bad");
        assertThat(Machines.eventTypes(execution).stream().filter("MapIterationStarted"::equals)).hasSize(2);
    }

    @Test
    void itemsPathMustPointToAnArray() {
        Execution execution = run(FLAKY_MAP.formatted("\"ItemsPath\":\"$.x\","), "{\"x\":1}");
        assertThat(execution.error()).isEqualTo("States.Runtime");
        assertThat(execution.cause()).contains("ItemsPath");
    }
}
