package dev.relay.cli;

import dev.relay.core.event.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * An event named on the command line: a file, {@code -} for standard input, or a sample of {@code events/messages/}
 * by name ({@code deploy-completed}). Read as Relay reads every event ({@link Envelope#parse}): a CloudEvent or the
 * simple {@code {"event_type", "payload"}} form, whose id without {@code event_id} is derived from its content.
 */
final class EventArgument {

    static final Path SAMPLES = Path.of("events", "messages");

    @Parameters(index = "0", paramLabel = "FILE|-|SAMPLE",
            description = "The event: a JSON file, - for standard input, or the name of a sample in events/messages/ "
                    + "(e.g. deploy-completed).")
    String source;

    @Option(names = "--new-id", order = 50,
            description = "Give the event a new random id (and its own correlation id, unless it names one), so the "
                    + "same file starts a new flow; without it, an event without an id gets the same id each time, "
                    + "which the agents treat as a redelivery and do not handle twice.")
    boolean newId;

    Envelope read(InputStream stdin) throws IOException {
        Envelope event = Envelope.parse(text(stdin));
        if (!newId) {
            return event;
        }
        String id = UUID.randomUUID().toString();
        boolean ownFlow = event.correlationId().equals(event.id());
        return new Envelope(id, event.source(), event.type(), event.time(), event.subject(), event.data(),
                ownFlow ? id : event.correlationId(), event.causationId(), event.extensions());
    }

    private String text(InputStream stdin) throws IOException {
        if (source.equals("-")) {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = Path.of(source);
        if (Files.isRegularFile(file)) {
            return Files.readString(file);
        }
        Path samples = LocalRun.home().resolve(SAMPLES);
        Path sample = samples.resolve(source.endsWith(".json") ? source : source + ".json");
        if (!source.contains("/") && Files.isRegularFile(sample)) {
            return Files.readString(sample);
        }
        throw CommandException.notFound("no file " + source + ", and no sample of that name in " + samples
                + " (samples: " + sampleNames(samples) + ")");
    }

    private static String sampleNames(Path samples) throws IOException {
        if (!Files.isDirectory(samples)) {
            return "none";
        }
        try (Stream<Path> files = Files.list(samples)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).sorted().collect(Collectors.joining(", "));
        }
    }
}
