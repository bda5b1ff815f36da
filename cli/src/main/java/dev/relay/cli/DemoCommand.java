package dev.relay.cli;

import dev.relay.core.agent.Router;
import dev.relay.core.agent.Routing;
import dev.relay.core.event.Envelope;
import dev.relay.core.event.InvalidEventException;
import dev.relay.core.llm.LlmCall;
import dev.relay.core.llm.LlmGateway;
import dev.relay.core.llm.LlmSettings;
import dev.relay.core.retry.Backoff;
import dev.relay.offline.OfflineModelServer;
import dev.relay.ops.OpsAgentsFunction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs the sample events through the agents that exist, in this JVM, against the offline model. The local
 * cloud (SNS, SQS, Lambda, Step Functions from template.yaml) replaces this with the whole topology.
 */
@Command(name = "demo", description = "Send every sample in events/messages/ to the agents and show what they decide.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--events", description = "Folder of event bodies (default: ${DEFAULT-VALUE}).",
            defaultValue = "events/messages")
    Path events;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path folder = Path.of(System.getProperty("relay.home", ".")).resolve(events).normalize();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no such folder: " + folder + " (give --events DIR)");
        }
        out.println("Relay demo: agents in one JVM against the offline model (the local cloud is not built yet).");
        int handled = 0;
        int unrouted = 0;
        int invalid = 0;
        try (OfflineModelServer model = OfflineModelServer.start(0);
             LlmGateway gateway = new LlmGateway(LlmSettings.of("gpt-4o-mini", model.baseUrl(), Duration.ofSeconds(10), 2,
                     new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1))))) {
            out.println("offline model at " + model.baseUrl());
            Router router = new Router(OpsAgentsFunction.agents(), gateway, OpsAgentsFunction.SOURCE);
            for (Path sample : samples(folder)) {
                String name = sample.getFileName().toString();
                Envelope event;
                try {
                    event = Envelope.parse(Files.readString(sample));
                } catch (InvalidEventException e) {
                    out.printf("%n%s: refused: %s%n", name, e.getMessage());
                    invalid++;
                    continue;
                }
                switch (router.route(event)) {
                    case Routing.Handled h -> {
                        handled++;
                        out.printf("%n%s  %s%n  -> %s decided %s%n", name, event.type(), h.agentId(), h.decision().action());
                        for (LlmCall call : h.llmCalls()) {
                            out.printf("     model %s, %d ms, %d tokens, prompt %s...%n", call.model(), call.latencyMs(),
                                    call.usage().totalTokens(), call.promptHash().substring(0, 12));
                        }
                        h.followUps().forEach(f -> out.printf("  -> emits %s (correlation %s, caused by %s)%n",
                                f.type(), f.correlationId(), f.causationId()));
                    }
                    case Routing.Unrouted u -> {
                        unrouted++;
                        out.printf("%n%s  %s%n  -> no agent handles this type yet%n", name, event.type());
                    }
                }
            }
        }
        out.printf("%n%d handled by an agent, %d without an agent yet, %d refused.%n", handled, unrouted, invalid);
        return handled > 0 && invalid == 0 ? 0 : 1;
    }

    private static List<Path> samples(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
