package dev.relay.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What AWS would bill for the requests and Lambda time one event caused, at list prices, without the LLM (the model's
 * tokens are priced by its provider, not AWS) and without free tiers, logs and data transfer. Pure arithmetic over
 * counts; the counts come from {@link FlowBench}.
 */
final class CostModel {

    /**
     * Public list prices in us-east-1, USD, the only place they are written down. Sources: aws.amazon.com/lambda/pricing
     * (Arm, first duration tier: the template's functions are arm64), /sqs/pricing (standard queues, per 64 KB
     * request), /sns/pricing (standard topics, per 64 KB published; deliveries to SQS queues are free for SNS and are
     * counted here at the SQS request price, the conservative reading), /dynamodb/pricing/on-demand (after the
     * 1 November 2024 reduction), /step-functions/pricing (standard workflows). As published on those pages in 2025;
     * check them again before quoting these figures.
     */
    static final Prices US_EAST_1 = new Prices("us-east-1 list prices (AWS pricing pages, 2025)",
            0.20, 0.0000133334, 0.40, 0.50, 0.625, 0.125, 25.0);

    /**
     * @param lambdaPerMillionRequests       Lambda requests
     * @param lambdaPerGbSecond              Lambda duration, Arm
     * @param sqsPerMillionRequests          SQS standard queue requests (each 64 KB chunk is one)
     * @param snsPerMillionPublishes         SNS standard topic publishes (each 64 KB chunk is one)
     * @param dynamoDbPerMillionWrites       DynamoDB on-demand write request units
     * @param dynamoDbPerMillionReads        DynamoDB on-demand read request units
     * @param stepFunctionsPerMillionTransitions Step Functions standard workflow state transitions
     */
    record Prices(String source, double lambdaPerMillionRequests, double lambdaPerGbSecond,
                  double sqsPerMillionRequests, double snsPerMillionPublishes, double dynamoDbPerMillionWrites,
                  double dynamoDbPerMillionReads, double stepFunctionsPerMillionTransitions) {

        Prices {
            Objects.requireNonNull(source, "source");
        }
    }

    /** DynamoDB write actions and the write units each item costs (items of at most 1 KB). */
    private static final Map<String, Integer> WRITE_UNITS = Map.of("PutItem", 1, "UpdateItem", 1, "DeleteItem", 1,
            "BatchWriteItem", 1, "TransactWriteItems", 2);
    /** DynamoDB read actions and the read units each item or request costs (strongly consistent, at most 4 KB). */
    private static final Map<String, Integer> READ_UNITS = Map.of("GetItem", 1, "Query", 1, "Scan", 1,
            "BatchGetItem", 1, "TransactGetItems", 2);
    /** Actions billed per item rather than per request. */
    private static final Set<String> PER_ITEM = Set.of("BatchWriteItem", "TransactWriteItems", "BatchGetItem",
            "TransactGetItems");

    /**
     * The billable quantities of some number of events, in total.
     *
     * @param lambdaRequests      invocations
     * @param lambdaGbSeconds     billed duration times configured memory
     * @param sqsRequests         SQS requests: the functions', the pollers' receives and deletes, SNS's deliveries
     * @param snsPublishes        Publish and PublishBatch requests
     * @param dynamoDbWriteUnits  write request units
     * @param dynamoDbReadUnits   read request units
     * @param transitions         Step Functions state transitions
     */
    record Usage(double lambdaRequests, double lambdaGbSeconds, double sqsRequests, double snsPublishes,
                 double dynamoDbWriteUnits, double dynamoDbReadUnits, double transitions) {

        Usage per(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("events must be at least 1, got " + events);
            }
            return new Usage(lambdaRequests / events, lambdaGbSeconds / events, sqsRequests / events,
                    snsPublishes / events, dynamoDbWriteUnits / events, dynamoDbReadUnits / events,
                    transitions / events);
        }
    }

    /**
     * DynamoDB request units from requests and items counted at the edge ({@code dynamodb/Action -> count}):
     * {@code [write units, read units]}. Item sizes are not seen, so every written item is taken as at most 1 KB and
     * every read as at most 4 KB, strongly consistent (eventually consistent reads cost half).
     */
    static double[] dynamoDbUnits(Map<String, Long> requests, Map<String, Long> items) {
        double writes = 0;
        double reads = 0;
        for (Map.Entry<String, Long> entry : requests.entrySet()) {
            if (!entry.getKey().startsWith("dynamodb/")) {
                continue;
            }
            String action = entry.getKey().substring("dynamodb/".length());
            long count = PER_ITEM.contains(action) ? items.getOrDefault(entry.getKey(), 0L) : entry.getValue();
            writes += WRITE_UNITS.getOrDefault(action, 0) * count;
            reads += READ_UNITS.getOrDefault(action, 0) * count;
        }
        return new double[] {writes, reads};
    }

    /** USD per million events of {@code perEvent}, by component (in a stable order), and their total. */
    static Map<String, Double> perMillionEvents(Usage perEvent, Prices prices) {
        Map<String, Double> usd = new LinkedHashMap<>();
        usd.put("lambda_requests", perEvent.lambdaRequests() * prices.lambdaPerMillionRequests());
        usd.put("lambda_duration", perEvent.lambdaGbSeconds() * 1_000_000 * prices.lambdaPerGbSecond());
        usd.put("sqs", perEvent.sqsRequests() * prices.sqsPerMillionRequests());
        usd.put("sns", perEvent.snsPublishes() * prices.snsPerMillionPublishes());
        usd.put("dynamodb", perEvent.dynamoDbWriteUnits() * prices.dynamoDbPerMillionWrites()
                + perEvent.dynamoDbReadUnits() * prices.dynamoDbPerMillionReads());
        usd.put("step_functions", perEvent.transitions() * prices.stepFunctionsPerMillionTransitions());
        usd.put("total", usd.values().stream().mapToDouble(Double::doubleValue).sum());
        return usd;
    }

    /**
     * The cost of a mix of event types: each type's total weighted by its share.
     *
     * @param totals per type, USD per million events of that type
     * @param mix    per type, its share of the events; the shares must add up to 1
     * @throws IllegalArgumentException naming a type of the mix that was not measured, or shares not adding up to 1
     */
    static double blended(Map<String, Double> totals, Map<String, Double> mix) {
        double shares = mix.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(shares - 1) > 1e-9) {
            throw new IllegalArgumentException("the mix's shares add up to " + shares + ", not 1: " + mix);
        }
        double usd = 0;
        for (Map.Entry<String, Double> share : mix.entrySet()) {
            Double total = totals.get(share.getKey());
            if (total == null) {
                throw new IllegalArgumentException("no cost measured for " + share.getKey() + " of the mix (measured: "
                        + totals.keySet() + ")");
            }
            usd += total * share.getValue();
        }
        return usd;
    }

    private CostModel() {
    }
}
