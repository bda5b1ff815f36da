package dev.relay.core.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Audit timestamps as fixed-width ISO-8601 UTC with milliseconds ({@code 2026-11-21T09:58:00.000Z}): one string per
 * instant, and strings sort as the instants do, which the by-agent index and replay-to rely on.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String format(Instant instant) {
        return FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Parses any ISO-8601 instant ({@code 2026-11-21T09:58:00Z} too); the error names the field. */
    public static Instant parse(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not an ISO-8601 instant such as 2026-11-21T09:58:00Z");
        }
    }
}
