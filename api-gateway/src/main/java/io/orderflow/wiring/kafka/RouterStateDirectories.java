package io.orderflow.wiring.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The embedded address router's state directories: one per start under a common parent, each held by a file lock
 * for as long as its router runs. A directory whose lock nobody holds belongs to a router that is gone (a crash
 * leaves one behind); each start deletes those, and never one that a running router holds, in this process or
 * another.
 */
final class RouterStateDirectories {

    static final String LOCK_FILE = ".orderflow-router.lock";
    private static final Logger LOG = LoggerFactory.getLogger(RouterStateDirectories.class);

    private RouterStateDirectories() {
    }

    /** A new directory under {@code parent}, locked until {@link Held#release}. */
    static Held create(Path parent) {
        try {
            Path directory = Files.createDirectories(parent.resolve(UUID.randomUUID().toString()));
            FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            return new Held(directory, channel, channel.lock());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a state directory for the address router in " + parent,
                    e);
        }
    }

    /** Deletes the directories under {@code parent} that no running router holds; answers how many. */
    static int sweep(Path parent) {
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path directory : directories) {
                if (abandoned(directory)) {
                    FileSystemUtils.deleteRecursively(directory);
                    deleted++;
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not sweep the address router's old state directories in {}: {}", parent, e.toString());
        }
        return deleted;
    }

    private static boolean abandoned(Path directory) throws IOException {
        Path lockFile = directory.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return true; // Never locked: a start that failed before it held the directory.
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false; // Held by a router in another process.
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // Held by a router in this process.
        }
    }

    /** A state directory and the lock that says its router runs. */
    record Held(Path directory, FileChannel channel, FileLock lock) {

        /** Releases the lock and deletes the directory: its router has stopped. */
        void release() {
            try {
                lock.release();
                channel.close();
                FileSystemUtils.deleteRecursively(directory);
            } catch (IOException e) {
                LOG.warn("Could not delete the address router's state directory {}: {}", directory, e.toString());
            }
        }
    }
}
