package io.orderflow.infra.postgres.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a copy of the server's write-ahead log in a directory, as it is written: PostgreSQL's own streaming
 * replication protocol (through the JDBC driver's replication API), the way {@code pg_receivewal} does it, which the
 * embedded distribution does not ship.
 *
 * <p>Three things make the copy complete up to the last committed transaction:
 * <ul>
 *   <li>a physical replication slot ({@value #NAME}): the server keeps every segment this archiver has not yet
 *       confirmed, across restarts of either side;</li>
 *   <li>the server names {@value #NAME} its synchronous standby ({@code synchronous_standby_names}, set by
 *       {@code EmbeddedPostgresServer}): a commit returns to its client only once its WAL is written and flushed
 *       here, so an order that was acknowledged is in the archive;</li>
 *   <li>every batch received is flushed to disk before it is confirmed.</li>
 * </ul>
 * The price is that commits wait while this archiver is down. It runs in the JVM that runs the server and
 * reconnects within a second after an error.
 *
 * <p>Complete segments carry their final name; the one being written is {@code <name>.partial}. After a restart the
 * archiver starts again at the beginning of its partial segment (or the next one), so nothing between is missed.
 */
public final class WalArchiver implements AutoCloseable {

    /** The replication slot's name and the application name the server waits for. */
    public static final String NAME = "orderflow_wal_archive";

    private static final Logger log = LoggerFactory.getLogger(WalArchiver.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Path directory;
    private final Thread thread;

    private volatile boolean closing;
    private volatile boolean streaming;
    private volatile Connection replication;

    private WalSegments segments;
    private int timeline;
    private FileChannel open;
    private long openSegment = -1;

    private WalArchiver(String jdbcUrl, String user, String password, Path directory) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.directory = directory;
        this.thread = new Thread(this::run, "wal-archiver");
        this.thread.setDaemon(true);
    }

    /**
     * Starts archiving the server at {@code jdbcUrl} (a superuser, or a role with {@code REPLICATION}) into
     * {@code directory}, creating the slot if it is missing, and waits until the stream runs (up to 30 s).
     */
    public static WalArchiver start(String jdbcUrl, String user, String password, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the WAL archive " + directory, e);
        }
        WalArchiver archiver = new WalArchiver(jdbcUrl, user, password, directory);
        archiver.thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!archiver.streaming && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (!archiver.streaming) {
            archiver.close();
            throw new IllegalStateException("The WAL archive could not start streaming from " + jdbcUrl
                    + " within 30 s (see the log)");
        }
        return archiver;
    }

    /** The directory the segments are written to. */
    public Path directory() {
        return directory;
    }

    /** Stops receiving and closes the files (what was received stays, flushed). */
    @Override
    public void close() {
        closing = true;
        Connection connection = replication;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the replication connection", e);
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int failures = 0;
        while (!closing) {
            try {
                stream();
                failures = 0;
            } catch (SQLException | IOException | RuntimeException e) {
                if (closing) {
                    break;
                }
                failures++;
                // A restarting server is routine: a line per attempt at first, then one in ten.
                if (failures <= 3 || failures % 10 == 0) {
                    log.warn("WAL archive: streaming stopped ({}); commits wait until it resumes, trying again in {} s"
                            + " (attempt {})", e.getMessage(), RETRY.toSeconds(), failures);
                }
            } finally {
                streaming = false;
                closeSegment();
            }
            if (!closing) {
                LockSupport.parkNanos(RETRY.toNanos());
            }
        }
    }

    private void stream() throws SQLException, IOException {
        long start;
        try (Connection sql = DriverManager.getConnection(jdbcUrl, user, password)) {
            segments = new WalSegments(longValue(sql, "SELECT setting::bigint FROM pg_settings "
                    + "WHERE name = 'wal_segment_size'"));
            timeline = (int) longValue(sql, "SELECT timeline_id FROM pg_control_checkpoint()");
            try (PreparedStatement slot = sql.prepareStatement(
                    "SELECT pg_create_physical_replication_slot(?, true) WHERE NOT EXISTS "
                            + "(SELECT FROM pg_replication_slots WHERE slot_name = ?)")) {
                slot.setString(1, NAME);
                slot.setString(2, NAME);
                slot.execute();
            }
            long reserved = WalSegments.parseLsn(stringValue(sql, "SELECT restart_lsn::text FROM pg_replication_slots "
                    + "WHERE slot_name = '" + NAME + "'"));
            start = startPosition(reserved);
        }
        Properties properties = new Properties();
        PGProperty.USER.set(properties, user);
        PGProperty.PASSWORD.set(properties, password);
        PGProperty.REPLICATION.set(properties, "true");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.APPLICATION_NAME.set(properties, NAME);
        try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
            replication = connection;
            if (closing) {
                return;
            }
            PGReplicationStream stream = connection.unwrap(PGConnection.class).getReplicationAPI()
                    .replicationStream().physical()
                    .withSlotName(NAME)
                    .withStartPosition(LogSequenceNumber.valueOf(start))
                    .withStatusInterval(1, TimeUnit.SECONDS)
                    .start();
            log.info("WAL archive: streaming timeline {} from {} into {}", timeline, WalSegments.formatLsn(start),
                    directory);
            streaming = true;
            receive(stream, start);
        } finally {
            replication = null;
        }
    }

    /** Receives until the stream ends, flushing and confirming whenever nothing more is waiting. */
    private void receive(PGReplicationStream stream, long start) throws SQLException, IOException {
        long received = start;
        long confirmed = start;
        while (!closing && !stream.isClosed()) {
            ByteBuffer data = stream.readPending();
            if (data != null) {
                long end = stream.getLastReceiveLSN().asLong();
                write(end - data.remaining(), data);
                received = end;
                continue;
            }
            if (received > confirmed) {
                if (open != null) {
                    open.force(false); // a segment completed on the way is flushed already
                }
                LogSequenceNumber position = LogSequenceNumber.valueOf(received);
                stream.setFlushedLSN(position);
                stream.setAppliedLSN(position);
                stream.forceUpdateStatus();
                confirmed = received;
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
            }
        }
    }

    private void write(long position, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            long segment = segments.segmentOf(position);
            if (segment != openSegment) {
                closeSegment();
                openSegment(segment);
            }
            long offset = segments.offsetOf(position);
            int length = (int) Math.min(data.remaining(), segments.segmentSize() - offset);
            ByteBuffer part = data.slice(data.position(), length);
            while (part.hasRemaining()) {
                open.write(part, offset + part.position());
            }
            data.position(data.position() + length);
            position += length;
            if (segments.offsetOf(position) == 0) {
                completeSegment();
            }
        }
    }

    private void openSegment(long segment) throws IOException {
        Path partial = directory.resolve(segments.fileName(timeline, segment) + WalSegments.PARTIAL);
        open = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        openSegment = segment;
    }

    /** A segment fully received: flushed, then renamed to its final name. */
    private void completeSegment() throws IOException {
        String name = segments.fileName(timeline, openSegment);
        open.force(false);
        open.close();
        open = null;
        Files.move(directory.resolve(name + WalSegments.PARTIAL), directory.resolve(name),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        openSegment = -1;
        log.debug("WAL archive: segment {} complete", name);
    }

    private void closeSegment() {
        if (open != null) {
            try {
                open.force(false);
                open.close();
            } catch (IOException e) {
                log.warn("WAL archive: could not close segment {}", openSegment, e);
            }
        }
        open = null;
        openSegment = -1;
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("Could not flush the directory {}", directory, e);
        }
    }

    /**
     * Where to begin: the start of the archive's partial segment, or of the segment after its last complete one.
     * An empty archive begins at the slot's reserved position. An archive that ends before what the server still
     * keeps has a gap; it is reported and the archive goes on from what the server has.
     */
    private long startPosition(long reserved) throws IOException {
        Optional<WalSegments.Segment> last;
        try (Stream<Path> files = Files.list(directory)) {
            last = files.map(segments::parse).flatMap(Optional::stream)
                    .filter(segment -> segment.timeline() == timeline)
                    .max(Comparator.comparingLong(WalSegments.Segment::number)
                            .thenComparing(segment -> !segment.partial()));
        }
        long reservedSegment = segments.segmentOf(reserved);
        if (last.isEmpty()) {
            return segments.startOf(reservedSegment);
        }
        long next = last.get().partial() ? last.get().number() : last.get().number() + 1;
        if (next < reservedSegment) {
            log.error("WAL archive: the archive ends at segment {} but the server keeps the log only from {}: "
                    + "backups older than now cannot be restored past this gap; take a new base backup",
                    segments.fileName(timeline, next), segments.fileName(timeline, reservedSegment));
            return segments.startOf(reservedSegment);
        }
        return segments.startOf(next);
    }

    private static long longValue(Connection sql, String query) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String stringValue(Connection sql, String query) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet row = statement.executeQuery(query)) {
            if (!row.next() || row.getString(1) == null) {
                throw new SQLException("the replication slot " + NAME + " reserves no position");
            }
            return row.getString(1);
        }
    }
}
