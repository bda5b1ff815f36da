package dev.relay.local.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The end of one invocation's log, for {@code LogType: Tail} (Lambda returns the last 4 KB). */
final class LogTail {

    static final int TAIL_BYTES = 4096;

    private final StringBuilder text = new StringBuilder();

    synchronized void add(String line) {
        text.append(line).append('\n');
        if (text.length() > 4 * TAIL_BYTES) {
            text.delete(0, text.length() - TAIL_BYTES);
        }
    }

    /** The last {@value #TAIL_BYTES} bytes, UTF-8 (possibly starting mid-character, as Lambda's does). */
    synchronized byte[] bytes() {
        byte[] all = text.toString().getBytes(StandardCharsets.UTF_8);
        return all.length <= TAIL_BYTES ? all : Arrays.copyOfRange(all, all.length - TAIL_BYTES, all.length);
    }
}
