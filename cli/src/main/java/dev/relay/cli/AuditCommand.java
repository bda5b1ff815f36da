package dev.relay.cli;

import dev.relay.core.audit.AuditJson;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.AuditTrail;
import dev.relay.core.audit.Replay;
import dev.relay.core.audit.Timestamps;
import dev.relay.core.audit.Verification;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code relay audit}: the tamper-evident audit trail, read with the same code as the audit API. */
@Command(name = "audit", sortOptions = false,
        description = "Read and check the audit trail: verify its hash chains, an agent's history, an event's causal "
                + "chain, the state as of a point in time.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.History.class, AuditCommand.Chain.class,
                AuditCommand.ReplayTo.class},
        footerHeading = "%nExamples:%n",
        footer = {"  relay audit verify", "  relay audit history deploy-verifier --from 2026-11-21T00:00:00Z",
                "  relay audit chain 2f1c0a9e-...", "  relay audit replay --to 2026-11-21T10:15:00Z"})
final class AuditCommand {

    @Command(name = "verify", sortOptions = false,
            description = {"Recompute every record's checksum and follow each flow's hash chain from its first record; "
                    + "report each finding with the record (seq, event id) and the problem: content_changed, missing, "
                    + "out_of_order or extra.",
                    "Exits 1 when a chain is not intact. Without --stream, scans the whole audit table.",
                    "A chain cannot show its own last records deleted or rewritten: keep the head hash printed for "
                            + "--stream elsewhere and compare."},
            footerHeading = "%nExamples:%n",
            footer = {"  relay audit verify                          # every flow",
                    "  relay audit verify --stream signup-42       # one flow, with its head hash",
                    "  relay audit verify --stack relay --output json"})
    static final class Verify extends TargetCommand {

        @Option(names = "--stream", paramLabel = "ID", order = 1,
                description = "Only this flow (correlation id); default: every flow.")
        Optional<String> stream;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                AuditTrail trail = target.auditTrail();
                List<Verification> verifications;
                if (stream.isPresent()) {
                    Verification one = trail.verify(stream.get());
                    if (one.records() == 0) {
                        throw CommandException.notFound("no audit records of flow " + stream.get() + " at "
                                + target.description());
                    }
                    verifications = List.of(one);
                } else {
                    spec.commandLine().getErr().printf("scanning the whole audit table at %s...%n", target.description());
                    spec.commandLine().getErr().flush();
                    verifications = trail.verifyAll();
                }
                boolean intact = verifications.stream().allMatch(Verification::intact);
                if (output.json()) {
                    OutputOptions.print(out, stream.isPresent() ? AuditJson.verification(verifications.getFirst())
                            : AuditJson.verifications(verifications));
                } else {
                    print(out, verifications, stream.isPresent());
                }
                return intact ? 0 : Relay.FAILURE;
            }
        }

        private static void print(PrintWriter out, List<Verification> verifications, boolean one) {
            int records = verifications.stream().mapToInt(Verification::records).sum();
            long broken = verifications.stream().filter(v -> !v.intact()).count();
            for (Verification verification : verifications) {
                if (one || !verification.intact()) {
                    out.printf("flow %s: %d record(s), %s%n", verification.stream(), verification.records(),
                            verification.intact() ? "intact" : "NOT intact");
                }
                for (Verification.Finding finding : verification.findings()) {
                    out.printf("  seq %d (event %s): %s: %s%n", finding.seq(), finding.eventId(),
                            finding.problem().name().toLowerCase(Locale.ROOT), finding.detail());
                }
                if (one) {
                    out.printf("  head hash %s (keep it elsewhere: a rewritten tail shows as a different head)%n",
                            verification.headHash());
                }
            }
            if (!one) {
                out.printf("%d flow(s), %d record(s): %s%n", verifications.size(), records,
                        broken == 0 ? "every hash chain intact" : broken + " flow(s) NOT intact");
            }
            out.flush();
        }
    }

    @Command(name = "history", sortOptions = false,
            description = "An agent's records, oldest first, from the by-agent index.",
            footerHeading = "%nExamples:%n",
            footer = {"  relay audit history deploy-verifier",
                    "  relay audit history risk-review --from 2026-11-21T09:00:00Z --to 2026-11-21T10:00:00Z --limit 20"})
    static final class History extends TargetCommand {

        static final int MAX_LIMIT = 1000;

        @Parameters(index = "0", paramLabel = "AGENT",
                description = "The agent's id as recorded, e.g. deploy-verifier, welcome-email, risk-review.")
        String agent;

        @Option(names = "--from", paramLabel = "TIME", order = 1,
                description = "ISO-8601 instant, e.g. 2026-11-21T09:00:00Z (default: the beginning).")
        Optional<String> from;

        @Option(names = "--to", paramLabel = "TIME", order = 2, description = "ISO-8601 instant (default: now).")
        Optional<String> to;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", order = 3,
                description = "At most N records, 1 to " + MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw CommandException.usage("--limit: " + limit + " is not from 1 to " + MAX_LIMIT);
            }
            Instant start = from.map(t -> instant("--from", t)).orElse(Instant.EPOCH);
            Instant end = to.map(t -> instant("--to", t)).orElseGet(Instant::now);
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                List<AuditRecord> records = target.auditTrail().history(agent, start, end, limit);
                if (records.isEmpty()) {
                    throw CommandException.notFound("no audit records of agent " + agent + " from "
                            + Timestamps.format(start) + " to " + Timestamps.format(end) + " at " + target.description()
                            + " (agent ids are as recorded, e.g. deploy-verifier; relay tail shows them)");
                }
                printRecords(out, records, output);
            }
            return 0;
        }
    }

    @Command(name = "chain", sortOptions = false,
            description = "The causal chain of a record: from the root event, through each decision and follow-up, "
                    + "to the record with this event id (the by-event index, following causation ids).",
            footerHeading = "%nExamples:%n",
            footer = {"  relay audit chain 2f1c0a9e-5b7d-3c1e-8f4a-0d9b6e2c7a13     # e.g. an emitted follow-up's id"})
    static final class Chain extends TargetCommand {

        @Parameters(index = "0", paramLabel = "EVENT_ID", description = "A record's event id (an event, a decision, "
                + "a model call, a follow-up).")
        String eventId;

        @Override
        public Integer call() throws Exception {
            try (Target target = targetOptions.open()) {
                List<AuditRecord> chain = target.auditTrail().causalChain(eventId);
                if (chain.isEmpty()) {
                    throw CommandException.notFound("no audit record with event id " + eventId + " at "
                            + target.description());
                }
                printRecords(spec.commandLine().getOut(), chain, output);
            }
            return 0;
        }
    }

    @Command(name = "replay", sortOptions = false,
            description = {"The trail's state as of a point in time: per agent, the events received, model calls, "
                    + "tokens, follow-ups emitted and decisions made by then (records stamped at or before --to).",
                    "Without --stream, scans the whole audit table."},
            footerHeading = "%nExamples:%n",
            footer = {"  relay audit replay --to 2026-11-21T10:15:00Z",
                    "  relay audit replay --to 2026-11-21T10:15:00Z --stream signup-42 --output json"})
    static final class ReplayTo extends TargetCommand {

        @Option(names = "--to", paramLabel = "TIME", required = true, order = 1,
                description = "ISO-8601 instant, e.g. 2026-11-21T10:15:00Z.")
        String to;

        @Option(names = "--stream", paramLabel = "ID", order = 2,
                description = "Only this flow (correlation id); default: every flow.")
        Optional<String> stream;

        @Override
        public Integer call() throws Exception {
            Instant asOf = instant("--to", to);
            PrintWriter out = out();
            try (Target target = targetOptions.open()) {
                if (stream.isEmpty()) {
                    spec.commandLine().getErr().printf("scanning the whole audit table at %s...%n", target.description());
                    spec.commandLine().getErr().flush();
                }
                Replay replay = target.auditTrail().replayTo(stream.orElse(null), asOf);
                if (output.json()) {
                    OutputOptions.print(out, AuditJson.replay(replay));
                    return 0;
                }
                out.printf("as of %s (%s): %d record(s), %d agent(s)%n", Timestamps.format(asOf),
                        stream.map(s -> "flow " + s).orElse("every flow"), replay.records().size(), replay.agents().size());
                for (Replay.AgentState agent : replay.agents().values()) {
                    Replay.DecisionMade last = agent.lastDecision();
                    out.printf("  %-24s %d received, %d model call(s), %d tokens, %d follow-up(s); last decision: %s%n",
                            agent.agentId(), agent.eventsReceived(), agent.llmCalls(), agent.tokens(),
                            agent.followUpsEmitted(), last == null ? "none" : last.action() + " at "
                                    + Timestamps.format(last.at()) + " (flow " + last.stream() + ")");
                }
                out.flush();
            }
            return 0;
        }
    }

    static Instant instant(String option, String text) {
        try {
            return Timestamps.parse(option, text);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
    }

    static void printRecords(PrintWriter out, List<AuditRecord> records, OutputOptions output) {
        if (output.json()) {
            OutputOptions.print(out, AuditJson.records(records));
            return;
        }
        records.forEach(record -> out.println(RecordLine.of(record)));
        out.flush();
    }
}
