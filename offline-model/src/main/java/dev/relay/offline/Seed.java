package dev.relay.offline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 of request content: every choice the offline model makes is derived from one, so answers repeat. */
final class Seed {

    private final byte[] digest;

    private Seed(byte[] digest) {
        this.digest = digest;
    }

    static Seed of(String... parts) {
        MessageDigest sha = sha256();
        for (String part : parts) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            // A separator keeps ("ab","c") and ("a","bc") apart.
            sha.update((byte) 0);
        }
        return new Seed(sha.digest());
    }

    /** The first {@code length} hex digits of the digest. */
    String hex(int length) {
        return HexFormat.of().formatHex(digest).substring(0, length);
    }

    /** A number in [0, bound) that depends only on this seed and the JSON path asking. */
    int pick(String path, int bound) {
        MessageDigest sha = sha256();
        sha.update(digest);
        sha.update(path.getBytes(StandardCharsets.UTF_8));
        byte[] derived = sha.digest();
        int value = ((derived[0] & 0xff) << 24) | ((derived[1] & 0xff) << 16) | ((derived[2] & 0xff) << 8) | (derived[3] & 0xff);
        return Integer.remainderUnsigned(value, bound);
    }

    /** Sixteen bytes for name-based UUIDs. */
    byte[] bytesFor(String path) {
        MessageDigest sha = sha256();
        sha.update(digest);
        sha.update(path.getBytes(StandardCharsets.UTF_8));
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
