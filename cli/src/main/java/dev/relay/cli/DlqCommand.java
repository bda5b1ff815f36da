package dev.relay.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.audit.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code relay dlq}: what failed, why, and sending it back once the cause is fixed. */
@Command(name = "dlq", sortOptions = false,
        description = {"Inspect and redrive the dead-letter queues: messages a function could not handle, either at "
                + "once (an invalid event, a model that refuses the request: the worker records why) or after the "
                + "queue's maxReceiveCount receives (the redrive policy moved them).",
                "A queue is named by its name (relay-ops-dlq), its URL, or its name without the stack prefix "
                        + "(ops-dlq, ops)."},
        subcommands = {DlqCommand.ListQueues.class, DlqCommand.Show.class, DlqCommand.Redrive.class,
                DlqCommand.Purge.class},
        footerHeading = "%nExamples:%n",
        footer = {"  relay dlq list", "  relay dlq show ops", "  relay dlq redrive ops --max-velocity 10",
                "  relay dlq purge orders --yes"})
final class DlqCommand {

    @Command(name = "list", sortOptions = false,
            description = "Every dead-letter queue with its depth and the queues that feed it.",
            footerHeading = "%nExamples:%n", footer = {"  relay dlq list", "  relay dlq list --stack relay --output json"})
    static final class ListQueues extends TargetCommand {

        @Override
        public Integer call() throws Exception {
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                List<DeadLetterQueue> queues = DeadLetterQueue.all(target);
                if (output.json()) {
                    ArrayNode all = Json.MAPPER.createArrayNode();
                    for (DeadLetterQueue queue : queues) {
                        ObjectNode node = all.addObject().put("name", queue.name()).put("url", queue.url())
                                .put("arn", queue.arn()).put("messages", queue.visible()).put("in_flight", queue.inFlight());
                        queue.sourceNames().forEach(node.putArray("sources")::add);
                    }
                    OutputOptions.print(out, all);
                    return 0;
                }
                out.printf("%-40s %8s %9s  %s%n", "DEAD-LETTER QUEUE", "MESSAGES", "IN FLIGHT", "FED BY");
                for (DeadLetterQueue queue : queues) {
                    out.printf("%-40s %8d %9d  %s%n", queue.name(), queue.visible(), queue.inFlight(), queue.sources()
                            .isEmpty() ? "(no queue: sent to directly)" : String.join(", ", queue.sourceNames()));
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "show", sortOptions = false,
            description = {"The messages of a dead-letter queue: the event (type, id, correlation id), the receive "
                    + "count, and the last error when the worker dead-lettered it at once (relay-error-type, "
                    + "relay-error-reason).",
                    "SQS has no peek: the messages are received for a moment (which adds to their receive count) and "
                            + "released at once."},
            footerHeading = "%nExamples:%n",
            footer = {"  relay dlq show ops", "  relay dlq show relay-provisioning-dlq --max 50 --body"})
    static final class Show extends TargetCommand {

        /** Long enough not to receive a message twice while listing; released right after. */
        static final int LISTING_VISIBILITY_SECONDS = 30;
        static final int BODY_LENGTH = 200;

        @Parameters(index = "0", paramLabel = "QUEUE", description = "The dead-letter queue.")
        String queue;

        @Option(names = "--max", paramLabel = "N", defaultValue = "10", order = 1,
                description = "At most N messages (default: ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--body", order = 2, description = "Print whole bodies (default: the first "
                + BODY_LENGTH + " characters).")
        boolean body;

        @Override
        public Integer call() throws Exception {
            if (max < 1) {
                throw CommandException.usage("--max: " + max + " is not a positive number");
            }
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                DeadLetterQueue dlq = DeadLetterQueue.find(target, queue);
                List<Message> messages = peek(target.sqs(), dlq.url(), max);
                // SQS's counts are approximate and were read first: never fewer than the messages shown
                long total = Math.max(dlq.visible() + dlq.inFlight(), messages.size());
                if (output.json()) {
                    ObjectNode json = Json.object().put("queue", dlq.name()).put("url", dlq.url())
                            .put("messages_total", total);
                    ArrayNode array = json.putArray("messages");
                    messages.forEach(m -> array.add(DeadLetter.of(m).toJson()));
                    OutputOptions.print(out, json);
                    return 0;
                }
                String fedBy = dlq.sources().isEmpty() ? "" : ", fed by " + String.join(", ", dlq.sourceNames());
                out.printf("%s: about %d message(s)%s, showing %d%n", dlq.name(), total, fedBy, messages.size());
                int index = 0;
                for (Message message : messages) {
                    DeadLetter letter = DeadLetter.of(message);
                    out.printf("%n%d. message %s, sent %s, received %s time(s)%n", ++index, message.messageId(),
                            letter.sentAt().map(Timestamps::format).orElse("?"), letter.receiveCount());
                    out.printf("   event: %s%n", letter.event());
                    out.printf("   last error: %s%n", letter.lastError());
                    out.printf("   body: %s%n", body || message.body().length() <= BODY_LENGTH ? message.body()
                            : message.body().substring(0, BODY_LENGTH) + "… (--body shows all)");
                }
                if (!messages.isEmpty()) {
                    out.printf("%nOnce the cause is fixed: relay dlq redrive %s%n", dlq.name());
                }
                out.flush();
            }
            return 0;
        }

        /** Receives up to {@code max} messages, then makes them visible again. */
        static List<Message> peek(SqsClient sqs, String url, int max) {
            Map<String, Message> received = new LinkedHashMap<>();
            try {
                while (received.size() < max) {
                    List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)
                            .maxNumberOfMessages(Math.min(10, max - received.size()))
                            .visibilityTimeout(LISTING_VISIBILITY_SECONDS).messageAttributeNames("All")
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                    if (batch.isEmpty()) {
                        break;
                    }
                    batch.forEach(m -> received.putIfAbsent(m.messageId(), m));
                }
            } finally {
                release(sqs, url, List.copyOf(received.values()));
            }
            return List.copyOf(received.values());
        }

        private static void release(SqsClient sqs, String url, List<Message> messages) {
            for (int from = 0; from < messages.size(); from += 10) {
                List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
                List<Message> batch = messages.subList(from, Math.min(messages.size(), from + 10));
                for (int i = 0; i < batch.size(); i++) {
                    entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + i)
                            .receiptHandle(batch.get(i).receiptHandle()).visibilityTimeout(0).build());
                }
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
            }
        }
    }

    @Command(name = "redrive", sortOptions = false,
            description = {"Send a dead-letter queue's messages back to the queue that feeds it (SQS "
                    + "StartMessageMoveTask), and follow the move until it is done. Fix the cause first: a message "
                    + "that fails again comes back here.",
                    "Ctrl-C stops following, not the move."},
            footerHeading = "%nExamples:%n",
            footer = {"  relay dlq redrive ops", "  relay dlq redrive relay-orders-dlq --max-velocity 5 --stack relay",
                    "  relay dlq redrive compensation --to relay-orders-queue"})
    static final class Redrive extends TargetCommand {

        static final Set<String> DONE = Set.of("COMPLETED", "FAILED", "CANCELLED");

        @Parameters(index = "0", paramLabel = "QUEUE", description = "The dead-letter queue.")
        String queue;

        @Option(names = "--max-velocity", paramLabel = "N", order = 1,
                description = "At most N messages per second, 1 to 500 (default: as fast as SQS goes).")
        Optional<Integer> velocity;

        @Option(names = "--to", paramLabel = "QUEUE", order = 2,
                description = "Where to send them (name or URL; default: the one queue whose redrive policy names "
                        + "this dead-letter queue).")
        Optional<String> to;

        @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "1", order = 3,
                description = "Seconds between progress checks (default: ${DEFAULT-VALUE}).")
        double poll;

        @Override
        public Integer call() throws Exception {
            if (velocity.isPresent() && (velocity.get() < 1 || velocity.get() > 500)) {
                throw CommandException.usage("--max-velocity: " + velocity.get() + " is not from 1 to 500");
            }
            PrintWriter out = out();
            PrintWriter err = spec.commandLine().getErr();
            try (Target target = targetOptions.open()) {
                SqsClient sqs = target.sqs();
                DeadLetterQueue dlq = DeadLetterQueue.find(target, queue);
                String destination = destination(sqs, dlq);
                String destinationName = destination.substring(destination.lastIndexOf(':') + 1);
                if (dlq.visible() + dlq.inFlight() == 0) {
                    return report(out, dlq, destinationName, "COMPLETED", 0, null, "nothing to redrive: " + dlq.name()
                            + " is empty");
                }
                String handle = sqs.startMessageMoveTask(b -> {
                    b.sourceArn(dlq.arn()).destinationArn(destination);
                    velocity.ifPresent(b::maxNumberOfMessagesPerSecond);
                }).taskHandle();
                err.printf("moving about %d message(s) from %s to %s%s (Ctrl-C stops following, not the move)%n",
                        dlq.visible() + dlq.inFlight(), dlq.name(), destinationName,
                        velocity.map(v -> " at most " + v + "/s").orElse(""));
                err.flush();
                long lastMoved = -1;
                while (true) {
                    ListMessageMoveTasksResultEntry task = task(sqs, dlq.arn(), handle);
                    long moved = Optional.ofNullable(task.approximateNumberOfMessagesMoved()).orElse(0L);
                    if (moved != lastMoved && !DONE.contains(task.status())) {
                        err.printf("  %s: %d moved%s%n", task.status(), moved, Optional.ofNullable(
                                task.approximateNumberOfMessagesToMove()).map(total -> " of " + total).orElse(""));
                        err.flush();
                        lastMoved = moved;
                    }
                    if (DONE.contains(task.status())) {
                        return report(out, dlq, destinationName, task.status(), moved, task.failureReason(), null);
                    }
                    Thread.sleep((long) (Math.max(0.1, poll) * 1000));
                }
            }
        }

        /** Where the messages go: {@code --to}, else the one queue that feeds the dead-letter queue. */
        private String destination(SqsClient sqs, DeadLetterQueue dlq) {
            if (to.isPresent()) {
                String url = to.get().startsWith("http") ? to.get()
                        : sqs.getQueueUrl(b -> b.queueName(to.get())).queueUrl();
                return arn(sqs, url);
            }
            if (dlq.sources().size() != 1) {
                throw CommandException.usage(dlq.name() + (dlq.sources().isEmpty()
                        ? " is no queue's dead-letter queue (its messages were sent to it directly)"
                        : " is the dead-letter queue of " + dlq.sourceNames()) + ": say where they go with --to QUEUE");
            }
            return arn(sqs, dlq.sources().getFirst());
        }

        private static String arn(SqsClient sqs, String url) {
            return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
        }

        /** Our move task: the one with our handle, else the newest (SQS names the handle only while it runs). */
        private static ListMessageMoveTasksResultEntry task(SqsClient sqs, String sourceArn, String handle) {
            List<ListMessageMoveTasksResultEntry> tasks = sqs.listMessageMoveTasks(b -> b.sourceArn(sourceArn)
                    .maxResults(10)).results();
            return tasks.stream().filter(t -> handle.equals(t.taskHandle())).findFirst()
                    .or(() -> tasks.stream().findFirst())
                    .orElseThrow(() -> CommandException.failure("SQS lists no move task for " + sourceArn
                            + " right after starting one"));
        }

        private int report(PrintWriter out, DeadLetterQueue dlq, String destination, String status, long moved,
                String failure, String note) {
            if (output.json()) {
                OutputOptions.print(out, Json.object().put("queue", dlq.name()).put("destination", destination)
                        .put("status", status).put("moved", moved).put("failure_reason", failure));
            } else {
                out.println(note != null ? note : switch (status) {
                    case "COMPLETED" -> "redrove " + moved + " message(s) from " + dlq.name() + " to " + destination;
                    case "CANCELLED" -> "the redrive was cancelled after " + moved + " message(s)";
                    default -> "the redrive failed after " + moved + " message(s): " + failure;
                });
                out.flush();
            }
            return status.equals("COMPLETED") ? 0 : Relay.FAILURE;
        }
    }

    @Command(name = "purge", sortOptions = false,
            description = {"Delete every message of a dead-letter queue, for good, after asking (SQS PurgeQueue; SQS "
                    + "may take up to 60 s to delete them all, and allows one purge a minute per queue)."},
            footerHeading = "%nExamples:%n",
            footer = {"  relay dlq purge ops              # asks first", "  relay dlq purge orders --yes     # in scripts"})
    static final class Purge extends TargetCommand {

        @Parameters(index = "0", paramLabel = "QUEUE", description = "The dead-letter queue.")
        String queue;

        @Option(names = {"-y", "--yes"}, order = 1, description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                DeadLetterQueue dlq = DeadLetterQueue.find(target, queue);
                long count = dlq.visible() + dlq.inFlight();
                if (!yes && !confirmed(spec.commandLine().getErr(), dlq, count)) {
                    throw CommandException.failure("nothing purged (answer y, or add --yes)");
                }
                target.sqs().purgeQueue(b -> b.queueUrl(dlq.url()));
                if (output.json()) {
                    OutputOptions.print(out, Json.object().put("queue", dlq.name()).put("purged", count));
                } else {
                    out.printf("purged %s: about %d message(s) deleted%n", dlq.name(), count);
                    out.flush();
                }
            }
            return 0;
        }

        private static boolean confirmed(PrintWriter prompt, DeadLetterQueue dlq, long count) throws IOException {
            prompt.printf("Delete about %d message(s) from %s for good? [y/N] ", count, dlq.name());
            prompt.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        }
    }
}
