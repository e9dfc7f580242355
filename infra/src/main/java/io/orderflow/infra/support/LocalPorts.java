package io.orderflow.infra.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks free TCP ports on the loopback interface and probes whether something listens on one.
 *
 * <p>Everything the embedded infrastructure starts listens on 127.0.0.1 only, so ports are chosen there too.
 */
public final class LocalPorts {

    /** The only address the embedded servers bind to. */
    public static final String LOOPBACK = "127.0.0.1";

    private LocalPorts() {
    }

    /** Every port this JVM has handed out, so that two servers started one after the other never get the same. */
    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    /** One free port on 127.0.0.1. */
    public static int pickFree() {
        return pickFree(1)[0];
    }

    /**
     * Whether {@code port} on 127.0.0.1 can be bound now: for a server that takes the port it had before (its earlier
     * run released it), so the port is then counted as handed out again.
     */
    public static synchronized boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
            HANDED_OUT.add(port);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /**
     * {@code count} distinct free ports on 127.0.0.1. All sockets are held open until every port is chosen, so the
     * kernel cannot hand out the same port twice; and no port is handed out twice in one JVM, because the servers
     * (PostgreSQL, the brokers, the payment simulator, the SMTP server) bind theirs only later, one after the other.
     */
    public static synchronized int[] pickFree(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        int[] chosen = new int[count];
        try {
            int found = 0;
            while (found < count) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                // Without SO_REUSEADDR a server binding the port right after we release it could fail on TIME_WAIT.
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    chosen[found++] = socket.getLocalPort();
                }
            }
            return chosen;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find " + count + " free port(s) on " + LOOPBACK, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // The port is released either way once the socket object is gone.
                }
            }
        }
    }

    /** Whether a TCP connection to 127.0.0.1:{@code port} is accepted within {@code timeoutMillis}. */
    public static boolean isListening(int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
