package io.orderflow.infra.postgres.backup;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import io.orderflow.infra.support.Processes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a data directory from a base backup and every segment of the WAL archive from the backup's start on.
 *
 * <p>The archive's last segment, still {@code .partial}, goes in under its final name, filled up to the segment
 * size, as PostgreSQL's documentation says to do with segments that were never archived. The server started on the
 * result reads {@code backup_label}, replays the log from the backup's checkpoint through the last record in
 * {@code pg_wal} (the last transaction the lost server committed) and opens, on the same timeline, so the archive
 * simply goes on.
 */
public final class BackupRestore {

    private static final Logger log = LoggerFactory.getLogger(BackupRestore.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private BackupRestore() {
    }

    /** What a restore did. */
    public record Restored(Path dataDirectory, Optional<Path> setAside, int walSegments, String lastSegment,
                           boolean lastSegmentPartial) {

        @Override
        public String toString() {
            return dataDirectory + " made from the backup and " + walSegments + " WAL segment(s) up to " + lastSegment
                    + (lastSegmentPartial ? " (the one still being written)" : "")
                    + setAside.map(old -> "; what was there before is in " + old).orElse("");
        }
    }

    /**
     * Restores {@code backup} into {@code dataDirectory}; whatever is there is set aside (renamed), never deleted.
     *
     * @throws IllegalStateException when the backup does not verify, or a server still runs on the directory
     */
    public static Restored restore(BaseBackups backups, BaseBackups.Backup backup, Path dataDirectory) {
        BaseBackups.Verification verification = backups.verify(backup);
        if (!verification.ok()) {
            throw new IllegalStateException(verification.toString());
        }
        try {
            OptionalLong running = livePostmaster(dataDirectory);
            if (running.isPresent()) {
                throw new IllegalStateException("PostgreSQL (pid " + running.getAsLong() + ") still runs on "
                        + dataDirectory + ": stop orderflow before restoring");
            }
            Optional<Path> setAside = Optional.empty();
            if (Files.exists(dataDirectory)) {
                Path aside = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".before-restore-"
                        + STAMP.format(Instant.now()));
                Files.move(dataDirectory, aside);
                setAside = Optional.of(aside);
            }
            Path staging = dataDirectory.resolveSibling("." + dataDirectory.getFileName() + ".restoring");
            BaseBackups.deleteTree(staging);
            Files.createDirectories(staging);
            copyData(backup, staging);
            for (String emptied : BaseBackups.EMPTIED_DIRECTORIES) {
                Files.createDirectories(staging.resolve(emptied));
            }
            Files.createDirectories(staging.resolve("pg_wal").resolve("archive_status"));
            Restored restored = copyWal(backups, backup, staging.resolve("pg_wal"), dataDirectory, setAside);
            // PostgreSQL refuses a data directory that others may read.
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx------"));
            Files.move(staging, dataDirectory, StandardCopyOption.ATOMIC_MOVE);
            log.info("Restored backup {}: {}", backup.name(), restored);
            return restored;
        } catch (IOException e) {
            throw new UncheckedIOException("The restore failed: " + e.getMessage(), e);
        }
    }

    private static void copyData(BaseBackups.Backup backup, Path target) throws IOException {
        for (String line : Files.readAllLines(backup.directory().resolve(BaseBackups.MANIFEST),
                StandardCharsets.UTF_8)) {
            if (line.startsWith("D ")) {
                Files.createDirectories(target.resolve(line.substring(2)));
            } else {
                String relative = line.split(" ", 4)[3];
                Path file = target.resolve(relative);
                Files.createDirectories(file.getParent());
                Files.copy(backup.data().resolve(relative), file);
            }
        }
    }

    private static Restored copyWal(BaseBackups backups, BaseBackups.Backup backup, Path pgWal, Path dataDirectory,
                                    Optional<Path> setAside) throws IOException {
        WalSegments segments = new WalSegments(backup.walSegmentSize());
        long first = segments.segmentOf(backup.startLsn());
        List<WalSegments.Segment> archived;
        try (Stream<Path> files = Files.list(backups.walDirectory())) {
            archived = files.map(segments::parse).flatMap(Optional::stream)
                    .filter(segment -> segment.timeline() == backup.timeline() && segment.number() >= first)
                    .sorted(Comparator.comparingLong(WalSegments.Segment::number)
                            .thenComparing(WalSegments.Segment::partial))
                    .toList();
        }
        List<WalSegments.Segment> chosen = new ArrayList<>();
        for (WalSegments.Segment segment : archived) {
            boolean sameNumber = !chosen.isEmpty() && chosen.get(chosen.size() - 1).number() == segment.number();
            if (sameNumber) {
                continue; // a complete segment wins over a leftover partial copy of it
            }
            long expected = chosen.isEmpty() ? first : chosen.get(chosen.size() - 1).number() + 1;
            if (segment.number() != expected) {
                throw new IllegalStateException("the WAL archive has a gap: segment "
                        + segments.fileName(backup.timeline(), expected) + " is missing");
            }
            if (!chosen.isEmpty() && chosen.get(chosen.size() - 1).partial()) {
                throw new IllegalStateException("the WAL archive has a partial segment before the last one: "
                        + segments.fileName(backup.timeline(), expected - 1));
            }
            chosen.add(segment);
        }
        for (WalSegments.Segment segment : chosen) {
            String name = segments.fileName(segment.timeline(), segment.number());
            Path source = backups.walDirectory().resolve(name + (segment.partial() ? WalSegments.PARTIAL : ""));
            Path target = pgWal.resolve(name);
            Files.copy(source, target);
            if (segment.partial()) {
                try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                    file.setLength(segments.segmentSize());
                }
            }
        }
        WalSegments.Segment last = chosen.get(chosen.size() - 1);
        return new Restored(dataDirectory, setAside, chosen.size(),
                segments.fileName(last.timeline(), last.number()), last.partial());
    }

    private static OptionalLong livePostmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            return Processes.isRunning(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
