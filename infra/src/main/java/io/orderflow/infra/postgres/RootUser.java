package io.orderflow.infra.postgres;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How to run PostgreSQL's tools when this JVM runs as root.
 *
 * <p>pg_ctl and postgres refuse to run as root. zonky runs them under {@code unshare -U}: in a new user namespace
 * without a uid mapping the process is "nobody" to itself, while the kernel still checks file access as root, so
 * the data directory needs no chown. Anything this module runs against zonky's data directory does the same.
 */
final class RootUser {

    private static final List<String> PREFIX = detect();

    private RootUser() {
    }

    /** {@code [unshare, -U]} when running as root and user namespaces work, otherwise nothing. */
    static List<String> commandPrefix() {
        return PREFIX;
    }

    private static List<String> detect() {
        try {
            if (new UnixSystem().getUid() != 0) {
                return List.of();
            }
            Process probe = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return List.of();
            }
            String uid = new String(probe.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return probe.exitValue() == 0 && !"0".equals(uid) ? List.of("unshare", "-U") : List.of();
        } catch (IOException | RuntimeException | LinkageError e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
