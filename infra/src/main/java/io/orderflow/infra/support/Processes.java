package io.orderflow.infra.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process checks that also hold for processes that are not this JVM's children.
 */
public final class Processes {

    private Processes() {
    }

    /**
     * Whether {@code pid} is running. Unlike {@link ProcessHandle#isAlive()}, a zombie (exited, not yet reaped by
     * its parent) counts as gone: daemonized servers are reparented to init, which on some machines reaps them
     * only seconds later.
     */
    public static boolean isRunning(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            // Format: "pid (command) state ...", and the command itself may contain ") ".
            int end = text.lastIndexOf(')');
            char state = end >= 0 && end + 2 < text.length() ? text.charAt(end + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            // No /proc (not Linux) or the process just vanished: trust ProcessHandle once more.
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
