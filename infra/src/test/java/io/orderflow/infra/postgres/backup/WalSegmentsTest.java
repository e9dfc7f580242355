package io.orderflow.infra.postgres.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class WalSegmentsTest {

    private final WalSegments sixteenMb = new WalSegments(16L << 20);

    @Test
    void positionsAreWrittenAsTheServerWritesThem() {
        assertThat(WalSegments.parseLsn("0/2000100")).isEqualTo(0x2000100L);
        assertThat(WalSegments.parseLsn("1A/FF000028")).isEqualTo(0x1A_FF00_0028L);
        assertThat(WalSegments.formatLsn(0x1A_FF00_0028L)).isEqualTo("1A/FF000028");
        assertThatThrownBy(() -> WalSegments.parseLsn("2000100")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void segmentFilesAreNamedAsTheServerNamesThem() {
        // As pg_walfile_name gives them: 256 segments of 16 MB in each 4 GB.
        assertThat(sixteenMb.fileName(1, sixteenMb.segmentOf(0x2000100L))).isEqualTo("000000010000000000000002");
        assertThat(sixteenMb.fileName(1, sixteenMb.segmentOf(0x1_0000_0000L))).isEqualTo("000000010000000100000000");
        assertThat(sixteenMb.fileName(2, sixteenMb.segmentOf(0x1A_FF00_0028L))).isEqualTo("000000020000001A000000FF");
        assertThat(new WalSegments(1L << 20).fileName(1, 4096)).isEqualTo("000000010000000100000000");
    }

    @Test
    void archiveFilesAreReadBackToTheirSegment_partialOnesMarked() {
        assertThat(sixteenMb.parse(Path.of("000000020000001A000000FF")))
                .contains(new WalSegments.Segment(2, 0x1A_FFL, false));
        assertThat(sixteenMb.parse(Path.of("000000010000000000000003.partial")))
                .contains(new WalSegments.Segment(1, 3, true));
        assertThat(sixteenMb.parse(Path.of("00000001.history"))).isEmpty();
        assertThat(sixteenMb.parse(Path.of("000000010000000000000300"))).as("beyond 256 per 4 GB").isEmpty();
        assertThat(sixteenMb.offsetOf(0x2000100L)).isEqualTo(0x100L);
        assertThat(sixteenMb.startOf(3)).isEqualTo(0x3000000L);
    }

    @Test
    void onlyPowersOfTwoFromOneMegabyteToOneGigabyteAreSegmentSizes() {
        assertThatThrownBy(() -> new WalSegments(3L << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WalSegments(1L << 19)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WalSegments(1L << 31)).isInstanceOf(IllegalArgumentException.class);
    }
}
