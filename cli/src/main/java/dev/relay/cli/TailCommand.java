package dev.relay.cli;

import dev.relay.core.audit.AuditJson;
import dev.relay.core.audit.AuditRecord;
import dev.relay.core.audit.AuditTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code relay tail}: the audit trail as it is written. Each poll reads the records stamped within the last
 * {@link #LOOKBACK} and prints those not printed before: a record is stamped when its fact happened (an event received,
 * a model call started) but written when the decision is, which is at most one Lambda invocation (15 minutes) later.
 */
@Command(name = "tail", sortOptions = false,
        description = {"Follow the audit trail live: one line per record (time, agent, kind, what, flow and position), "
                + "until Ctrl-C.",
                "Without --agent, each poll scans the audit table: DynamoDB reads, and bills, the whole table "
                        + "(about one read unit per 8 KB, eventually consistent) and sends back only the new records; "
                        + "fine for a development or modest trail. With --agent, each poll queries that agent's "
                        + "recent records on the by-agent index instead."},
        footerHeading = "%nExamples:%n",
        footer = {"  relay tail                                  # everything, as it happens",
                "  relay tail --type 'deploy.*' --since 10m    # deploy events of the last 10 minutes, then live",
                "  relay tail --agent deploy-verifier --stack relay",
                "  relay tail --output json --for 60 > trail.jsonl"})
final class TailCommand extends TargetCommand {

    static final Duration LOOKBACK = Duration.ofMinutes(15);

    @Option(names = "--type", paramLabel = "GLOB", order = 1,
            description = "Only records whose event type matches, e.g. 'deploy.*', 'order.*' ('*' matches any "
                    + "characters, '?' one). Decisions are typed decision.<action> unless the agent names them; "
                    + "model calls by the prompt's step.")
    Optional<String> type;

    @Option(names = "--agent", paramLabel = "ID", order = 2,
            description = "Only this agent's records (e.g. deploy-verifier), read from the by-agent index.")
    Optional<String> agent;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "0s", order = 3,
            description = "First print the records of this last while, e.g. 30s, 10m, 2h (default: ${DEFAULT-VALUE}: "
                    + "only new ones).")
    String since;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2", order = 4,
            description = "Seconds between polls (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--for", paramLabel = "SECONDS", order = 5,
            description = "Stop after this many seconds (default: run until Ctrl-C).")
    Optional<Double> duration;

    @Option(names = "--max", paramLabel = "N", order = 6, description = "Stop after printing N records.")
    Optional<Integer> max;

    @Override
    public Integer call() throws Exception {
        Duration backlog = Durations.parse("--since", since);
        if (interval < 0.1 || interval > 3600) {
            throw CommandException.usage("--interval: " + interval + " is not between 0.1 and 3600 seconds");
        }
        Optional<Glob> glob = type.map(Glob::of);
        Predicate<AuditRecord> wanted = r -> glob.map(g -> g.matches(r.eventType())).orElse(true);
        PrintWriter out = out();
        PrintWriter err = spec.commandLine().getErr();
        try (Target target = targetOptions.open()) {
            AuditTable table = target.auditTable();
            Instant started = Instant.now();
            Optional<Instant> stop = duration.map(seconds -> started.plusMillis((long) (seconds * 1000)));
            Map<String, Instant> seen = new HashMap<>();
            Instant from = started.minus(backlog.compareTo(LOOKBACK) > 0 ? backlog : LOOKBACK);
            boolean first = true;
            int count = 0;
            while (true) {
                Instant now = Instant.now();
                List<AuditRecord> records = read(table, first ? from : now.minus(LOOKBACK), now).stream()
                        .sorted(Comparator.comparing(AuditRecord::timestamp).thenComparing(AuditRecord::stream)
                                .thenComparingLong(AuditRecord::seq)).toList();
                for (AuditRecord record : records) {
                    String key = record.stream() + "#" + record.seq();
                    if (seen.putIfAbsent(key, record.timestamp()) != null) {
                        continue;
                    }
                    boolean backlogged = first && record.timestamp().isBefore(started.minus(backlog));
                    if (backlogged || !wanted.test(record)) {
                        continue;
                    }
                    if (output.json()) {
                        OutputOptions.print(out, AuditJson.record(record), true);
                    } else {
                        out.println(RecordLine.of(record));
                        out.flush();
                    }
                    if (max.isPresent() && ++count >= max.get()) {
                        return 0;
                    }
                }
                if (first) {
                    // said once the records already there are known: from now on, every new one is printed
                    err.printf("following %s on %s%s (every %s s; Ctrl-C stops)%n", table.auditTableName(),
                            target.description(), agent.map(a -> ", agent " + a).orElse(""), interval);
                    err.flush();
                    first = false;
                }
                // Nothing stamped before the lookback can still be written: forget it.
                seen.values().removeIf(at -> at.isBefore(now.minus(LOOKBACK)));
                long pause = (long) (interval * 1000);
                if (stop.isPresent()) {
                    pause = Math.min(pause, Duration.between(Instant.now(), stop.get()).toMillis());
                    if (pause <= 0) {
                        return 0;
                    }
                }
                Thread.sleep(pause);
            }
        }
    }

    private List<AuditRecord> read(AuditTable table, Instant from, Instant now) {
        return agent.map(a -> table.byAgent(a, from, now.plus(Duration.ofDays(1)), Integer.MAX_VALUE))
                .orElseGet(() -> table.since(from));
    }
}
