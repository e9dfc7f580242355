package io.orderflow.infra.connect;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The entry point of the Kafka Connect worker's child JVM: runs Apache Kafka's {@code ConnectDistributed} with the
 * given worker properties, and exits when its stdin reaches end-of-file.
 *
 * <p>Its stdin is a pipe whose only writer is the application: when the application stops, or dies even by SIGKILL,
 * the kernel closes the pipe and the worker shuts down cleanly (Connect's own shutdown hook stops the herder and its
 * tasks), so no worker outlives the application that started it. This class is copied out of the infra jar and
 * runs on the worker's own class path (the Connect runtime of the {@code kafka-connect-worker} archive), so it uses
 * nothing but the JDK and reaches Connect reflectively.
 */
public final class ConnectWorkerMain {

    static final String CONNECT_MAIN = "org.apache.kafka.connect.cli.ConnectDistributed";
    /** How long a clean shutdown may take before the JVM halts anyway. */
    private static final long SHUTDOWN_GRACE_MILLIS = 30_000;

    private ConnectWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        watchStdin();
        Method main = Class.forName(CONNECT_MAIN).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // Nothing is ever written; only end-of-file matters.
                }
            } catch (IOException e) {
                // A broken pipe means the same as end-of-file: the parent is gone.
            }
            System.out.println("[ConnectWorkerMain] stdin closed: the application stopped or died; exiting");
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_GRACE_MILLIS);
                } catch (InterruptedException ignored) {
                    return;
                }
                System.out.println("[ConnectWorkerMain] clean shutdown took longer than " + SHUTDOWN_GRACE_MILLIS
                        + " ms; halting");
                Runtime.getRuntime().halt(4);
            }, "connect-halter");
            halter.setDaemon(true);
            halter.start();
            System.exit(0);
        }, "connect-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
