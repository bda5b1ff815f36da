package dev.relay.cli;

import dev.relay.core.audit.AuditRecord;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code relay trace}: one flow, from its audit records and saga executions, as a tree. */
@Command(name = "trace", sortOptions = false,
        description = {"Show the whole story of one flow as a tree: each event, the agents that received it, their "
                + "model calls (model, latency, tokens), decisions and follow-up events, and for an order the saga "
                + "execution step by step (attempts, failures, compensations, final status).",
                "Reads the flow's audit records (one Query) and its executions' history (Step Functions); says whether "
                        + "the flow's hash chain is intact."},
        footerHeading = "%nExamples:%n",
        footer = {"  relay trace 5f0c1c1e-0a43-3a55-9a7f-2f1d0c8e4b11     # the correlation id relay publish printed",
                "  relay trace evt-ord-42 --output json                  # an event id works too: its flow is traced",
                "  relay trace signup-42 --stack relay"})
final class TraceCommand extends TargetCommand {

    @Parameters(index = "0", paramLabel = "CORRELATION_ID",
            description = "The flow's correlation id (relay publish prints it), or the id of any event in the flow.")
    String id;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (Target target = targetOptions.open()) {
            String flow = id;
            List<AuditRecord> records = target.auditTrail().stream(flow);
            if (records.isEmpty()) {
                List<AuditRecord> event = target.auditTable().byEventId(id);
                if (event.isEmpty()) {
                    throw CommandException.notFound("no audit records of a flow or event " + id + " at "
                            + target.description() + " (relay publish prints the correlation id; records appear once "
                            + "an agent has decided)");
                }
                flow = event.getFirst().stream();
                records = target.auditTrail().stream(flow);
            }
            FlowTrace trace = FlowTrace.of(flow, records);
            target.optionalOutput(Target.ORDER_SAGA).ifPresent(machine -> trace.sagaExecutionArns(machine)
                    .forEach(arn -> SagaRun.load(target.sfn(), arn).ifPresent(trace::attach)));
            if (output.json()) {
                OutputOptions.print(out, trace.toJson());
            } else {
                trace.trees().forEach(tree -> {
                    tree.print(out);
                    out.println();
                });
                out.flush();
            }
        }
        return 0;
    }
}
