package io.orderflow.wiring.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RouterStateDirectoriesTest {

    @TempDir
    Path parent;

    @Test
    void aSweepDeletesTheDirectoriesOfRoutersThatAreGone_andNeverOneThatIsHeld() throws Exception {
        RouterStateDirectories.Held running = RouterStateDirectories.create(parent);
        RouterStateDirectories.Held crashed = RouterStateDirectories.create(parent);
        Files.writeString(crashed.directory().resolve("store"), "state");
        // A crash: the lock goes with the process, the directory stays.
        crashed.lock().release();
        crashed.channel().close();
        Path neverLocked = Files.createDirectories(parent.resolve("left-by-a-failed-start"));

        int deleted = RouterStateDirectories.sweep(parent);

        assertThat(deleted).isEqualTo(2);
        assertThat(running.directory()).exists();
        assertThat(crashed.directory()).doesNotExist();
        assertThat(neverLocked).doesNotExist();
        running.release();
        assertThat(running.directory()).doesNotExist();
        assertThat(RouterStateDirectories.sweep(parent.resolve("missing"))).isZero();
    }
}
