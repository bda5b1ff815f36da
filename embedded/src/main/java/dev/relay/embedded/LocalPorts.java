package dev.relay.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports, for services that cannot bind port 0 themselves (DynamoDB Local) or must know it early. */
public final class LocalPorts {

    private LocalPorts() {
    }

    /** A port that was free a moment ago; the caller binds it soon and retries on the rare collision. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
