package io.orderflow.gateway.testkit.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that puts faults between a client and a server (a broker, the database, the payment
 * provider): added latency on every chunk, responses dropped while requests still reach the server (the server acts,
 * the client never hears: a lost acknowledgement), connections cut, and new connections refused. One thread pair per
 * connection; meant for tests, not for load.
 */
public final class FaultProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong latencyMillis = new AtomicLong();
    private final AtomicBoolean dropResponses = new AtomicBoolean();
    private final AtomicBoolean refuse = new AtomicBoolean();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private FaultProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts a proxy on a free port of 127.0.0.1 in front of the target. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            FaultProxy proxy = new FaultProxy(server, targetHost, targetPort);
            Thread acceptor = new Thread(proxy::accept, "fault-proxy-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Delays every chunk in either direction by this much (0 for none). */
    public FaultProxy latency(long millis) {
        latencyMillis.set(millis);
        return this;
    }

    /** While on, what the server answers is swallowed; what the client sends still reaches the server. */
    public FaultProxy dropResponses(boolean on) {
        dropResponses.set(on);
        return this;
    }

    /** While on, new connections are closed at once, as by a server that is down. */
    public FaultProxy refuseConnections(boolean on) {
        refuse.set(on);
        return this;
    }

    /** Closes every open connection now, as a network cut would. */
    public FaultProxy cutConnections() {
        // Only what is closed here leaves the set: a connection accepted meanwhile stays, to be cut next time.
        for (Socket socket : java.util.List.copyOf(open)) {
            closeQuietly(socket);
            open.remove(socket);
        }
        return this;
    }

    /** Bytes of answers swallowed while responses were dropped. */
    public long droppedBytes() {
        return droppedBytes.get();
    }

    private void accept() {
        while (!closed.get()) {
            try {
                Socket client = server.accept();
                if (refuse.get()) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean response) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    long delay = latencyMillis.get();
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    if (response && dropResponses.get()) {
                        droppedBytes.addAndGet(read);
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException endOfConnection) {
                // either side closed, or the connection was cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed.set(true);
        cutConnections();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
