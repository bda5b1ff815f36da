package dev.relay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --output text|json}: lines for people, or one JSON document for scripts. */
final class OutputOptions {

    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", order = 110,
            description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    boolean json() {
        return format == Format.json;
    }

    /** Prints {@code document} indented, or on one line when {@code oneLine} (JSON Lines, for streams). */
    static void print(PrintWriter out, JsonNode document, boolean oneLine) {
        try {
            out.println(oneLine ? Json.MAPPER.writeValueAsString(document)
                    : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static void print(PrintWriter out, JsonNode document) {
        print(out, document, false);
    }
}
