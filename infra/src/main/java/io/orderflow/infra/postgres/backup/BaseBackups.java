package io.orderflow.infra.postgres.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base backups of a PostgreSQL server whose write-ahead log a {@link WalArchiver} keeps, in one directory:
 * {@code wal/} (the archive) and {@code base/<name>/} (one backup each: the copied data directory under
 * {@code data/}, a manifest with the size and SHA-256 of every file, and {@code backup.properties}).
 *
 * <p>A backup is taken with the server's own low-level backup functions, which {@code pg_basebackup} uses too:
 * {@code pg_backup_start} (a checkpoint, and full-page writes until the end), a copy of the data directory while the
 * server runs, then {@code pg_backup_stop}, whose label file goes into the copy as {@code backup_label}. The copy is
 * consistent once the log from the backup's start to its stop is replayed over it; the backup waits until the
 * archive holds that log. {@link #verify(Backup)} checks every file against the manifest and that the archive holds
 * every segment the backup needs; {@link BackupRestore} makes a data directory from a backup and the archive.
 */
public final class BaseBackups {

    /** What a backup leaves out, as {@code pg_basebackup} does: the server remakes these at start. */
    static final Set<String> EMPTIED_DIRECTORIES = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    static final Set<String> LEFT_OUT_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "current_logfiles", "pg_internal.init");
    static final String MANIFEST = "backup.manifest";
    static final String PROPERTIES = "backup.properties";
    static final String DATA = "data";

    private static final Logger log = LoggerFactory.getLogger(BaseBackups.class);
    private static final DateTimeFormatter NAMES = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(60);

    private final Path root;

    /** The backups and WAL archive under {@code root}. */
    public BaseBackups(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The directory that holds the archive and the backups. */
    public Path root() {
        return root;
    }

    /** The WAL archive a {@link WalArchiver} writes. */
    public Path walDirectory() {
        return root.resolve("wal");
    }

    private Path baseDirectory() {
        return root.resolve("base");
    }

    /** One base backup. */
    public record Backup(String name, Path directory, int timeline, long walSegmentSize, long startLsn,
                         long stopLsn, Instant startedAt, Instant finishedAt, long files, long bytes) {

        /** The copied data directory. */
        public Path data() {
            return directory.resolve(DATA);
        }

        /** The segments the backup needs, from its start to its stop (inclusive). */
        public List<String> neededSegments() {
            WalSegments segments = new WalSegments(walSegmentSize);
            List<String> names = new ArrayList<>();
            for (long n = segments.segmentOf(startLsn); n <= segments.segmentOf(stopLsn); n++) {
                names.add(segments.fileName(timeline, n));
            }
            return names;
        }

        @Override
        public String toString() {
            return name + " (" + files + " files, " + (bytes >> 20) + " MB, WAL " + WalSegments.formatLsn(startLsn)
                    + " to " + WalSegments.formatLsn(stopLsn) + ", taken in "
                    + Duration.between(startedAt, finishedAt).toMillis() + " ms)";
        }
    }

    /** What {@link #verify(Backup)} found: nothing, when the backup can be restored. */
    public record Verification(Backup backup, List<String> problems, long filesChecked, int walSegments) {

        /** Whether the backup is whole and the archive holds the log it needs. */
        public boolean ok() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return ok() ? "backup " + backup.name() + " verified: " + filesChecked + " files match the manifest, "
                    + walSegments + " WAL segment(s) from its start to its stop are in the archive"
                    : "backup " + backup.name() + " is NOT restorable: " + String.join("; ", problems);
        }
    }

    /**
     * Takes a base backup of the server at {@code jdbcUrl} (a superuser) whose data directory is
     * {@code dataDirectory}, on this machine; {@code progress} hears a line now and then.
     *
     * @throws IllegalStateException when the WAL archive is not receiving (the backup would be useless), or when
     *                               the archive did not get the log up to the backup's stop within a minute
     */
    public Backup take(String jdbcUrl, String user, String password, Path dataDirectory, Consumer<String> progress) {
        Instant started = Instant.now();
        String name = NAMES.format(started);
        Path target = baseDirectory().resolve(name);
        Path partial = baseDirectory().resolve("." + name + ".in-progress");
        try (Connection sql = DriverManager.getConnection(jdbcUrl, user, password)) {
            requireArchiving(sql);
            if (Files.exists(target)) {
                throw new IllegalStateException("a backup named " + name + " exists already; try again in a second");
            }
            deleteTree(partial);
            Files.createDirectories(partial.resolve(DATA));
            int timeline = (int) longValue(sql, "SELECT timeline_id FROM pg_control_checkpoint()");
            long segmentSize = longValue(sql, "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'");
            long startLsn = WalSegments.parseLsn(stringValue(sql,
                    "SELECT pg_backup_start('orderflow " + name + "', true)::text"));
            progress.accept("backup started at WAL " + WalSegments.formatLsn(startLsn) + "; copying " + dataDirectory);
            Map<String, String> manifest = copy(dataDirectory, partial.resolve(DATA), progress);
            long stopLsn;
            try (Statement statement = sql.createStatement();
                 ResultSet stop = statement.executeQuery(
                         "SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                stop.next();
                stopLsn = WalSegments.parseLsn(stop.getString(1));
                writeCopied(partial.resolve(DATA), "backup_label", stop.getString(2), manifest);
                String tablespaces = stop.getString(3);
                if (tablespaces != null && !tablespaces.isBlank()) {
                    writeCopied(partial.resolve(DATA), "tablespace_map", tablespaces, manifest);
                }
            }
            progress.accept("backup stopped at WAL " + WalSegments.formatLsn(stopLsn)
                    + "; waiting for the archive to have it");
            awaitArchived(sql, stopLsn);
            Instant finished = Instant.now();
            long bytes = manifest.values().stream().filter(line -> line.startsWith("F "))
                    .mapToLong(line -> Long.parseLong(line.split(" ", 4)[2])).sum();
            long files = manifest.values().stream().filter(line -> line.startsWith("F ")).count();
            Backup backup = new Backup(name, target, timeline, segmentSize, startLsn, stopLsn, started, finished,
                    files, bytes);
            Files.write(partial.resolve(MANIFEST), manifest.values(), StandardCharsets.UTF_8);
            writeProperties(partial.resolve(PROPERTIES), backup);
            Files.move(partial, target);
            log.info("Base backup {} taken", backup);
            return backup;
        } catch (SQLException e) {
            throw new IllegalStateException("The base backup failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("The base backup failed while copying: " + e.getMessage(), e);
        } finally {
            try {
                deleteTree(partial);
            } catch (IOException e) {
                log.warn("Could not remove the unfinished backup {}", partial, e);
            }
        }
    }

    /** The backups, oldest first. */
    public List<Backup> list() {
        if (!Files.isDirectory(baseDirectory())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(baseDirectory())) {
            return entries.filter(path -> Files.isRegularFile(path.resolve(PROPERTIES)))
                    .map(BaseBackups::read)
                    .sorted(Comparator.comparing(Backup::startedAt))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The backup named {@code name}, or the newest when {@code name} is null. */
    public Optional<Backup> find(String name) {
        List<Backup> backups = list();
        if (name == null) {
            return backups.isEmpty() ? Optional.empty() : Optional.of(backups.get(backups.size() - 1));
        }
        return backups.stream().filter(backup -> backup.name().equals(name)).findFirst();
    }

    /** Checks every file of {@code backup} against its manifest, and the archive for the log it needs. */
    public Verification verify(Backup backup) {
        List<String> problems = new ArrayList<>();
        long checked = 0;
        Map<String, String> expected = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(backup.directory().resolve(MANIFEST), StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 4);
                expected.put(parts[0].equals("D") ? line.substring(2) : parts[3], line);
            }
            try (Stream<Path> files = Files.walk(backup.data())) {
                for (Path file : files.toList()) {
                    String relative = backup.data().relativize(file).toString();
                    if (relative.isEmpty()) {
                        continue;
                    }
                    String line = expected.remove(relative);
                    if (line == null) {
                        problems.add("not in the manifest: " + relative);
                    } else if (line.startsWith("F ")) {
                        String[] parts = line.split(" ", 4);
                        String digest = sha256(file);
                        if (Files.size(file) != Long.parseLong(parts[2]) || !digest.equals(parts[1])) {
                            problems.add("changed since the backup: " + relative);
                        }
                        checked++;
                    }
                }
            }
        } catch (IOException e) {
            problems.add("cannot read the backup: " + e.getMessage());
        }
        expected.keySet().forEach(missing -> problems.add("missing: " + missing));
        int segments = 0;
        List<String> needed = backup.neededSegments();
        for (int i = 0; i < needed.size(); i++) {
            String segment = needed.get(i);
            boolean last = i == needed.size() - 1;
            if (Files.isRegularFile(walDirectory().resolve(segment))
                    || last && Files.isRegularFile(walDirectory().resolve(segment + WalSegments.PARTIAL))) {
                segments++;
            } else {
                problems.add("WAL segment " + segment + " is not in the archive " + walDirectory());
            }
        }
        return new Verification(backup, List.copyOf(problems), checked, segments);
    }

    /** Whether a WAL archiver is connected; refuses a backup that could never be restored otherwise. */
    private static void requireArchiving(Connection sql) throws SQLException {
        try (PreparedStatement statement = sql.prepareStatement(
                "SELECT count(*) FROM pg_stat_replication WHERE application_name = ?")) {
            statement.setString(1, WalArchiver.NAME);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (row.getLong(1) == 0) {
                    throw new IllegalStateException("The WAL archive is not receiving from this server, so a base "
                            + "backup could not be restored: start orderflow with ORDERFLOW_POSTGRES_WAL_ARCHIVE=true");
                }
            }
        }
    }

    /** Waits until the archiver has flushed the log up to {@code lsn}. */
    private static void awaitArchived(Connection sql, long lsn) throws SQLException {
        long deadline = System.nanoTime() + ARCHIVE_WAIT.toNanos();
        while (true) {
            try (PreparedStatement statement = sql.prepareStatement("SELECT flush_lsn::text FROM pg_stat_replication "
                    + "WHERE application_name = ? ORDER BY flush_lsn DESC LIMIT 1")) {
                statement.setString(1, WalArchiver.NAME);
                try (ResultSet row = statement.executeQuery()) {
                    if (row.next() && row.getString(1) != null && WalSegments.parseLsn(row.getString(1)) >= lsn) {
                        return;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The WAL archive did not receive the log up to the backup's stop ("
                        + WalSegments.formatLsn(lsn) + ") within " + ARCHIVE_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the WAL archive", e);
            }
        }
    }

    /**
     * Copies the data directory, leaving out what the server remakes, with the control file last (as
     * {@code pg_basebackup} does); files removed while copying are skipped, as the log replays their removal.
     *
     * @return the manifest lines by relative path
     */
    private static Map<String, String> copy(Path source, Path target, Consumer<String> progress) throws IOException {
        Map<String, String> manifest = new LinkedHashMap<>();
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(source)) {
            entries = walk.filter(path -> !path.equals(source)).sorted().toList();
        }
        Path control = source.resolve("global").resolve("pg_control");
        long copied = 0;
        long reported = System.nanoTime();
        for (Path entry : entries) {
            Path relative = source.relativize(entry);
            if (leftOut(relative) || entry.equals(control)) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                if (relative.getNameCount() == 1 && relative.toString().equals("pg_tblspc")) {
                    try (Stream<Path> spaces = Files.list(entry)) {
                        if (spaces.findAny().isPresent()) {
                            throw new IOException("the server has tablespaces, which this backup does not copy");
                        }
                    }
                }
                Files.createDirectories(target.resolve(relative.toString()));
                manifest.put(relative.toString(), "D " + relative);
            } else if (Files.isRegularFile(entry)) {
                copied += copyFile(entry, target.resolve(relative.toString()), relative.toString(), manifest);
            }
            if (System.nanoTime() - reported > Duration.ofSeconds(5).toNanos()) {
                progress.accept("copied " + (copied >> 20) + " MB so far");
                reported = System.nanoTime();
            }
        }
        copied += copyFile(control, target.resolve("global").resolve("pg_control"), "global/pg_control", manifest);
        syncAll(target);
        progress.accept("copied " + (copied >> 20) + " MB in " + manifest.size() + " entries");
        return manifest;
    }

    private static boolean leftOut(Path relative) {
        String file = relative.getFileName().toString();
        if (LEFT_OUT_FILES.contains(file) || file.startsWith("pgsql_tmp")) {
            return true;
        }
        return relative.getNameCount() > 1 && EMPTIED_DIRECTORIES.contains(relative.getName(0).toString());
    }

    private static long copyFile(Path source, Path target, String relative, Map<String, String> manifest)
            throws IOException {
        MessageDigest digest = sha256();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            size = in.transferTo(out);
        } catch (NoSuchFileException gone) {
            Files.deleteIfExists(target);
            return 0;
        }
        manifest.put(relative, "F " + HexFormat.of().formatHex(digest.digest()) + " " + size + " " + relative);
        return size;
    }

    private static void writeCopied(Path data, String relative, String content, Map<String, String> manifest)
            throws IOException {
        Path file = data.resolve(relative);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        sync(file);
        manifest.put(relative, "F " + HexFormat.of().formatHex(sha256().digest(bytes)) + " " + bytes.length + " "
                + relative);
    }

    /**
     * Flushes the copy to disk: one {@code syncfs} of its file system ({@code sync -f}) rather than a flush per
     * file, which took ten times longer for a data directory's thousand small files; a flush per file where that
     * command is missing.
     */
    private static void syncAll(Path directory) throws IOException {
        try {
            Process sync = new ProcessBuilder("sync", "-f", directory.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (sync.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            log.debug("No sync -f here; flushing file by file", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing the backup", e);
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                sync(file);
            }
        }
    }

    private static void sync(Path file) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void writeProperties(Path file, Backup backup) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("name", backup.name());
        properties.setProperty("timeline", Integer.toString(backup.timeline()));
        properties.setProperty("wal-segment-size", Long.toString(backup.walSegmentSize()));
        properties.setProperty("start-lsn", WalSegments.formatLsn(backup.startLsn()));
        properties.setProperty("stop-lsn", WalSegments.formatLsn(backup.stopLsn()));
        properties.setProperty("started-at", backup.startedAt().toString());
        properties.setProperty("finished-at", backup.finishedAt().toString());
        properties.setProperty("files", Long.toString(backup.files()));
        properties.setProperty("bytes", Long.toString(backup.bytes()));
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "orderflow base backup; restore with: java -jar orderflow-dev.jar database restore "
                    + backup.name());
        }
    }

    private static Backup read(Path directory) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(PROPERTIES))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Backup(properties.getProperty("name"), directory,
                Integer.parseInt(properties.getProperty("timeline")),
                Long.parseLong(properties.getProperty("wal-segment-size")),
                WalSegments.parseLsn(properties.getProperty("start-lsn")),
                WalSegments.parseLsn(properties.getProperty("stop-lsn")),
                Instant.parse(properties.getProperty("started-at")),
                Instant.parse(properties.getProperty("finished-at")),
                Long.parseLong(properties.getProperty("files")),
                Long.parseLong(properties.getProperty("bytes")));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static long longValue(Connection sql, String query) throws SQLException {
        return Long.parseLong(stringValue(sql, query));
    }

    private static String stringValue(Connection sql, String query) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }
}
