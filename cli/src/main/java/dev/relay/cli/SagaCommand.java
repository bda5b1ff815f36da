package dev.relay.cli;

import dev.relay.core.Json;
import dev.relay.core.agent.AgentContext;
import dev.relay.core.agent.Outcome;
import dev.relay.core.audit.Timestamps;
import dev.relay.core.event.Envelope;
import dev.relay.fulfillment.DynamoDbFulfillment;
import dev.relay.fulfillment.SagaStarter;
import dev.relay.fulfillment.StepFunctionsExecutions;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** {@code relay saga}: the order-fulfilment saga's executions, and the person in its loop. */
@Command(name = "saga", sortOptions = false,
        description = "Start an order's saga, see how an execution went step by step, and approve or deny an order "
                + "the risk review sent to a person.",
        subcommands = {SagaCommand.Start.class, SagaCommand.Status.class, SagaCommand.Approve.class,
                SagaCommand.Deny.class},
        footerHeading = "%nExamples:%n",
        footer = {"  relay saga start order-needs-approval", "  relay saga status 8d4c2f0e-...",
                "  relay saga approve ord_1003", "  relay saga deny ord_1003 --reason 'address does not verify'"})
final class SagaCommand {

    static final String APPROVAL_TIMEOUT = "ApprovalTimeoutSeconds";
    /** What the saga starter function defaults to without APPROVAL_TIMEOUT_SECONDS. */
    static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);
    /** An order id (dev.relay.fulfillment.Order): anything else given to approve/deny is a task token. */
    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Command(name = "start", sortOptions = false,
            description = {"Start the saga of an order.placed event directly, as the saga starter does for the events "
                    + "on orders-queue: one execution named by the event id, with the same input. Starting the same "
                    + "event again finds its execution instead of starting a second."},
            footerHeading = "%nExamples:%n",
            footer = {"  relay saga start order-placed                       # a sample of events/messages/",
                    "  relay saga start --new-id order-shipping-fails      # again, as a new order flow",
                    "  relay saga start my-order.json --approval-timeout 300 --stack relay"})
    static final class Start extends TargetCommand {

        @Mixin
        EventArgument event;

        @Option(names = "--approval-timeout", paramLabel = "SECONDS", order = 1,
                description = "How long a person has to approve, if the risk review asks one (default: the target's "
                        + APPROVAL_TIMEOUT + " parameter).")
        Optional<Long> approvalTimeout;

        @Override
        public Integer call() throws Exception {
            Envelope order = event.read(System.in);
            if (!order.type().equals("order.placed")) {
                throw CommandException.usage("a saga starts from an order.placed event, not " + order.type());
            }
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                Duration timeout = approvalTimeout.map(Duration::ofSeconds)
                        .or(() -> target.parameter(APPROVAL_TIMEOUT).map(seconds -> Duration.ofSeconds(Long.parseLong(seconds))))
                        .orElse(DEFAULT_APPROVAL_TIMEOUT);
                if (timeout.isNegative() || timeout.isZero()) {
                    throw CommandException.usage("--approval-timeout: must be a positive number of seconds");
                }
                Instant asked = Instant.now().minusSeconds(1);
                AgentContext noModel = () -> {
                    throw new IllegalStateException("starting a saga asks no model");
                };
                Outcome started = new SagaStarter(new StepFunctionsExecutions(target.sfn(), target.orderSagaArn()), timeout)
                        .handle(order, noModel);
                String arn = started.decision().details().path("execution_arn").asText();
                SagaRun run = SagaRun.load(target.sfn(), arn).orElseThrow(() -> CommandException.failure(
                        "Step Functions started " + arn + " but does not describe it"));
                boolean before = run.startedAt().isBefore(asked);
                if (output.json()) {
                    OutputOptions.print(out, run.toJson().put("already_started", before)
                            .put("correlation_id", order.correlationId()));
                    return 0;
                }
                out.printf("%s saga execution %s for order %s: %s%n", before ? "found the" : "started",
                        run.name(), run.orderId().orElse("?"), run.status());
                if (before) {
                    out.printf("  (it started at %s: one event id names one execution; --new-id starts another)%n",
                            Timestamps.format(run.startedAt()));
                }
                out.printf("  execution:      %s%n", arn);
                out.printf("  correlation id: %s%n", order.correlationId());
                out.printf("follow it with: relay saga status %s   or: relay trace %s%n", run.name(), order.correlationId());
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "status", sortOptions = false,
            description = "How an execution went: its status and each state (attempts, the error that failed a step, "
                    + "compensations, a step waiting for a person).",
            footerHeading = "%nExamples:%n",
            footer = {"  relay saga status 8d4c2f0e-5b7d-3c1e-8f4a-0d9b6e2c7a13        # the order.placed event id",
                    "  relay saga status arn:aws:states:eu-west-1:123456789012:execution:relay-order-fulfillment:evt-1"})
    static final class Status extends TargetCommand {

        @Parameters(index = "0", paramLabel = "EXECUTION",
                description = "The execution's name (the order.placed event id) or ARN.")
        String execution;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                String arn = execution.startsWith("arn:") ? execution
                        : SagaRun.executionArn(target.orderSagaArn(), execution);
                SagaRun run = SagaRun.load(target.sfn(), arn).orElseThrow(() -> CommandException.notFound(
                        "no saga execution " + execution + " at " + target.description()
                                + " (an execution is named by its order.placed event id)"));
                if (output.json()) {
                    OutputOptions.print(out, run.toJson());
                } else {
                    run.tree().print(out);
                    out.flush();
                }
            }
            return 0;
        }
    }

    @Command(name = "approve", sortOptions = false,
            description = "Approve an order waiting for a person: the saga goes on to charge the card (SendTaskSuccess "
                    + "with {\"approved\": true, \"by\": NAME}).",
            footerHeading = "%nExamples:%n",
            footer = {"  relay saga approve ord_1003                   # the order id: its task token is looked up",
                    "  relay saga approve AQCEAAAAKgAAAAMAAAAA...     # or the token from order.approval.requested"})
    static final class Approve extends TargetCommand {

        @Parameters(index = "0", paramLabel = "TOKEN_OR_ORDER",
                description = "The order id (looked up in the approvals table) or the task token.")
        String tokenOrOrder;

        @Option(names = "--by", paramLabel = "NAME", order = 1,
                description = "Who approves (default: your user name).")
        Optional<String> by;

        @Override
        public Integer call() throws Exception {
            String who = by.orElse(System.getProperty("user.name", "relay"));
            try (Target target = targetOptions.open()) {
                Answered answered = answer(target, tokenOrOrder, token -> target.sfn().sendTaskSuccess(b -> b
                        .taskToken(token).output(Json.write(Json.object().put("approved", true).put("by", who)))));
                answered.print(spec.commandLine().getOut(), output, "approved", who);
            }
            return 0;
        }
    }

    @Command(name = "deny", sortOptions = false,
            description = "Deny an order waiting for a person: the saga rejects it, nothing charged (SendTaskFailure "
                    + "with error OrderDenied).",
            footerHeading = "%nExamples:%n",
            footer = {"  relay saga deny ord_1003 --reason 'address does not verify'"})
    static final class Deny extends TargetCommand {

        @Parameters(index = "0", paramLabel = "TOKEN_OR_ORDER",
                description = "The order id (looked up in the approvals table) or the task token.")
        String tokenOrOrder;

        @Option(names = "--by", paramLabel = "NAME", order = 1, description = "Who denies (default: your user name).")
        Optional<String> by;

        @Option(names = "--reason", paramLabel = "TEXT", order = 2,
                description = "Why, recorded as the failure's cause (default: denied by NAME).")
        Optional<String> reason;

        @Override
        public Integer call() throws Exception {
            String who = by.orElse(System.getProperty("user.name", "relay"));
            String cause = reason.map(r -> r + " (denied by " + who + ")").orElse("denied by " + who);
            try (Target target = targetOptions.open()) {
                Answered answered = answer(target, tokenOrOrder, token -> target.sfn().sendTaskFailure(b -> b
                        .taskToken(token).error("OrderDenied").cause(cause)));
                answered.print(spec.commandLine().getOut(), output, "denied", who);
            }
            return 0;
        }
    }

    /** Which order (when given by id) got the answer. */
    private record Answered(Optional<String> orderId) {

        void print(PrintWriter out, OutputOptions output, String verdict, String who) {
            if (output.json()) {
                OutputOptions.print(out, Json.object().put("order_id", orderId.orElse(null)).put("verdict", verdict)
                        .put("by", who));
            } else {
                out.printf("%s %s by %s%n", orderId.map(id -> "order " + id).orElse("the task"), verdict, who);
                out.flush();
            }
        }
    }

    /** Resolves an order id to its waiting task token (or takes the token as given) and answers the task. */
    private static Answered answer(Target target, String tokenOrOrder, Consumer<String> send) {
        Optional<String> token = Optional.empty();
        if (ORDER_ID.matcher(tokenOrOrder).matches()) {
            token = new DynamoDbFulfillment(target.dynamo(), new DynamoDbFulfillment.Tables(null, null, null,
                    target.approvalsTable()), Clock.systemUTC()).pendingApproval(tokenOrOrder);
        }
        Optional<String> orderId = token.isPresent() ? Optional.of(tokenOrOrder) : Optional.empty();
        try {
            send.accept(token.orElse(tokenOrOrder));
            return new Answered(orderId);
        } catch (TaskTimedOutException e) {
            throw CommandException.notFound(orderId.map(id -> "order " + id).orElse("this task")
                    + " is not waiting any more: it was answered already, or the approval timed out "
                    + "(relay saga status shows what happened)");
        } catch (TaskDoesNotExistException | InvalidTokenException e) {
            throw CommandException.notFound("no approval is pending for " + tokenOrOrder + " at " + target.description()
                    + ": it is neither an order waiting for a person nor a live task token");
        }
    }
}
