package io.orderflow.infra.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny shell process that sends SIGINT (PostgreSQL's "fast shutdown") to a postmaster as soon as this JVM is gone.
 *
 * <p>pg_ctl daemonizes the postmaster, so it outlives the JVM that started it, even a JVM killed with SIGKILL where
 * no shutdown hook runs. The watchdog's stdin is a pipe whose only writer is this JVM: when the JVM dies, the kernel
 * closes the pipe, {@code read} sees end-of-file and the shell signals the postmaster. To dispose of it without
 * signalling, this JVM writes one line first, which makes {@code read} succeed and the shell exit quietly.
 */
final class ParentDeathWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParentDeathWatchdog.class);

    // Ignoring SIGINT keeps a Ctrl-C in the terminal from killing the watchdog; the JVM then stops the server itself.
    private static final String SCRIPT = "trap '' INT; if read -r line; then exit 0; fi; kill -INT \"$1\"";

    private final Process process;
    private final long watchedPid;

    private ParentDeathWatchdog(Process process, long watchedPid) {
        this.process = process;
        this.watchedPid = watchedPid;
    }

    /** Starts a watchdog that fast-stops {@code postmasterPid} when this JVM dies. */
    static ParentDeathWatchdog watch(long postmasterPid) throws IOException {
        Process process = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "orderflow-pg-watchdog",
                Long.toString(postmasterPid))
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        log.debug("Parent-death watchdog pid {} guards postmaster pid {}", process.pid(), postmasterPid);
        return new ParentDeathWatchdog(process, postmasterPid);
    }

    long pid() {
        return process.pid();
    }

    /** Lets the watchdog exit without signalling the postmaster. */
    @Override
    public void close() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write("disarm\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            // The watchdog is already gone (killed from outside); nothing is left to disarm.
            log.debug("Watchdog for postmaster {} was already gone", watchedPid, e);
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
