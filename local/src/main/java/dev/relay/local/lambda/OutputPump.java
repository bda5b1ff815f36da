package dev.relay.local.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Turns a function process's output into log lines. The process writes stdout and stderr to a file; this reads the
 * file every few milliseconds and on demand. Reading on demand is what makes an invocation's log complete: whatever
 * the function printed before it answered is in the file by then, so {@link #drain()} hands it on before {@code END}.
 */
final class OutputPump implements AutoCloseable {

    private static final long POLL_MILLIS = 25;

    private final FileChannel file;
    private final Consumer<String> lines;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile boolean closed;

    private OutputPump(FileChannel file, Consumer<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Follows {@code output} (which the process appends to) until closed. */
    static OutputPump follow(Path output, Consumer<String> lines, String threadName) {
        try {
            OutputPump pump = new OutputPump(FileChannel.open(output, StandardOpenOption.READ), lines);
            Thread.ofVirtual().name(threadName).start(pump::poll);
            return pump;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read function output " + output, e);
        }
    }

    private void poll() {
        while (!closed) {
            drain();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Hands on every complete line written so far. */
    synchronized void drain() {
        if (!file.isOpen()) {
            return;
        }
        try {
            while (file.read(buffer.clear()) > 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        emit();
                    } else {
                        partial.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // the file is gone with the work directory; nothing more to read
        }
    }

    private void emit() {
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        lines.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }

    /** Reads what is left, including an unterminated last line, and stops following. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        drain();
        if (partial.size() > 0) {
            emit();
        }
        try {
            file.close();
        } catch (IOException e) {
            // read-only
        }
    }
}
