package io.orderflow.infra.postgres.backup;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write-ahead log positions and segment file names, as PostgreSQL writes them.
 *
 * <p>A position (LSN) is a 64-bit byte offset into the log, written {@code X/Y} (the high and low 32 bits in hex).
 * The log is cut into segments of {@code wal_segment_size} bytes (16 MB unless initdb was told otherwise); segment
 * number {@code n} of timeline {@code t} is the file {@code TTTTTTTTXXXXXXXXYYYYYYYY}, where X and Y are {@code n}
 * divided by, and the remainder of, the number of segments in 4 GB. The segment still being written is kept in the
 * archive as {@code <name>.partial}, the convention of PostgreSQL's own {@code pg_receivewal}.
 */
public final class WalSegments {

    /** The suffix of the segment the archive is still receiving. */
    public static final String PARTIAL = ".partial";

    private static final Pattern NAME = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\\.partial)?");
    private static final long FOUR_GB = 0x1_0000_0000L;

    private final long segmentSize;

    /** Segments of {@code segmentSize} bytes (a power of two from 1 MB to 1 GB). */
    public WalSegments(long segmentSize) {
        if (segmentSize < (1 << 20) || segmentSize > (1L << 30) || Long.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException("not a WAL segment size: " + segmentSize);
        }
        this.segmentSize = segmentSize;
    }

    /** The size of every segment, in bytes. */
    public long segmentSize() {
        return segmentSize;
    }

    /** The number of the segment that holds {@code lsn}. */
    public long segmentOf(long lsn) {
        return Long.divideUnsigned(lsn, segmentSize);
    }

    /** The position of the first byte of segment {@code segment}. */
    public long startOf(long segment) {
        return segment * segmentSize;
    }

    /** The offset of {@code lsn} within its segment. */
    public long offsetOf(long lsn) {
        return Long.remainderUnsigned(lsn, segmentSize);
    }

    /** The file name of segment {@code segment} on timeline {@code timeline}. */
    public String fileName(int timeline, long segment) {
        long perFourGb = FOUR_GB / segmentSize;
        return String.format(Locale.ROOT, "%08X%08X%08X", timeline, segment / perFourGb, segment % perFourGb);
    }

    /** A segment file of the archive, by name: its timeline, its number and whether it is still being received. */
    public record Segment(int timeline, long number, boolean partial) {
    }

    /** The segment a file of the archive holds, or empty if the file is not a segment. */
    public Optional<Segment> parse(Path file) {
        Matcher name = NAME.matcher(file.getFileName().toString());
        if (!name.matches()) {
            return Optional.empty();
        }
        long perFourGb = FOUR_GB / segmentSize;
        long high = Long.parseLong(name.group(2), 16);
        long low = Long.parseLong(name.group(3), 16);
        if (low >= perFourGb) {
            return Optional.empty();
        }
        return Optional.of(new Segment(Integer.parseUnsignedInt(name.group(1), 16), high * perFourGb + low,
                name.group(4) != null));
    }

    /** Parses a position written {@code X/Y}. */
    public static long parseLsn(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a WAL position: " + text);
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    /** Writes a position as {@code X/Y}. */
    public static String formatLsn(long lsn) {
        return String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFF_FFFFL);
    }
}
