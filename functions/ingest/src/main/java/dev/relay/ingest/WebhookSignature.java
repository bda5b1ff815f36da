package dev.relay.ingest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared-secret signature of webhook deliveries: {@code X-Relay-Signature: t=<unix seconds>,v1=<hex>}, where
 * {@code v1} is the HMAC-SHA256, keyed with the webhook secret's UTF-8 bytes, of {@code "<t>.<raw body>"}. Several
 * {@code v1} entries may be sent (signed with the old and the new secret while rotating); one must match. A
 * signature is good for {@link #WINDOW} either side of {@code t}, and once: replays are refused by a {@link ReplayGuard}.
 */
final class WebhookSignature {

    static final String HEADER = "X-Relay-Signature";
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final String FORMAT = "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">";

    private final Supplier<String> secret;
    private final ReplayGuard replays;
    private final Clock clock;

    WebhookSignature(Supplier<String> secret, ReplayGuard replays, Clock clock) {
        this.secret = secret;
        this.replays = replays;
        this.clock = clock;
    }

    /**
     * Checks the request's signature and claims it, so that it cannot be used again.
     *
     * @return the signature claimed, to {@link #release} if the request then fails on our side
     */
    String verify(HttpRequest request) {
        String header = request.header(HEADER).filter(h -> !h.isBlank())
                .orElseThrow(() -> Problem.unauthorized(HEADER + ": required: " + FORMAT));
        long timestamp = -1;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                throw Problem.unauthorized(HEADER + ": '" + abbreviate(part.trim()) + "' is not key=value; expected " + FORMAT);
            }
            switch (pair[0]) {
                case "t" -> {
                    if (timestamp >= 0 || !pair[1].matches("[0-9]{1,12}")) {
                        throw Problem.unauthorized(HEADER + ": t must appear once, as unix seconds; expected " + FORMAT);
                    }
                    timestamp = Long.parseLong(pair[1]);
                }
                case "v1" -> {
                    if (!pair[1].matches("[0-9a-fA-F]{64}")) {
                        throw Problem.unauthorized(HEADER + ": v1 must be 64 hex characters (an HMAC-SHA256)");
                    }
                    signatures.add(pair[1].toLowerCase(java.util.Locale.ROOT));
                }
                default -> {
                    // Other schemes (v0, a future v2) are ignored, so senders can add one before we check it.
                }
            }
        }
        if (timestamp < 0 || signatures.isEmpty()) {
            throw Problem.unauthorized(HEADER + ": needs t and at least one v1; expected " + FORMAT);
        }
        long age = clock.instant().getEpochSecond() - timestamp;
        if (Math.abs(age) > WINDOW.toSeconds()) {
            throw Problem.unauthorized(HEADER + ": t=" + timestamp + " is " + (age > 0 ? age + " s old" : -age
                    + " s in the future") + "; a signature is valid for " + WINDOW.toMinutes()
                    + " minutes (sign each delivery when sending it, and check the sender's clock)");
        }
        byte[] expected = sign(key(), timestamp, request.body());
        String matched = signatures.stream()
                .filter(candidate -> MessageDigest.isEqual(expected, HexFormat.of().parseHex(candidate)))
                .findFirst()
                .orElseThrow(() -> Problem.unauthorized(HEADER + ": no v1 matches the body: expected the "
                        + "HMAC-SHA256 of \"<t>.<body>\" keyed with the webhook secret"));
        if (!replays.claim(matched, Instant.ofEpochSecond(timestamp).plus(WINDOW).plusSeconds(1))) {
            throw Problem.forbidden(HEADER, HEADER + ": this signature was already used; a replayed delivery is "
                    + "refused (sign each delivery anew)");
        }
        return matched;
    }

    void release(String signature) {
        replays.release(signature);
    }

    /** {@code hex(HMAC-SHA256(key, "<t>.<body>"))}: what a sender puts in v1. */
    static String sign(String key, long timestamp, byte[] body) {
        return HexFormat.of().formatHex(sign(key.getBytes(StandardCharsets.UTF_8), timestamp, body));
    }

    private static byte[] sign(byte[] key, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private byte[] key() {
        String value;
        try {
            value = secret.get();
        } catch (RuntimeException e) {
            throw Problem.unavailable("the webhook secret cannot be read right now; retry later");
        }
        if (value == null || value.isEmpty()) {
            throw Problem.unavailable("the webhook secret is empty; set it (aws secretsmanager put-secret-value)");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
