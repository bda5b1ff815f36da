package dev.relay.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}. */
final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smhd])");

    private Durations() {}

    static Duration parse(String option, String text) {
        Matcher form = FORM.matcher(text.trim());
        if (!form.matches()) {
            throw CommandException.usage(option + ": '" + text + "' is not a duration such as 30s, 10m, 2h or 1d");
        }
        long amount = Long.parseLong(form.group(1));
        return switch (form.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
