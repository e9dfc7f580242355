package io.orderflow.wiring.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsumedOrderBufferTest {

    @Test
    void handsRecordsOutInTheOrderTheyWereRead_notSortedInAnyOtherWay() throws Exception {
        ConsumedOrderBuffer<String> buffer = new ConsumedOrderBuffer<>(10);
        buffer.putAll(List.of("partition-1@1 (read first, newer timestamp)", "partition-4@7 (older timestamp)"));
        buffer.put("partition-1@2");

        assertThat(buffer.peek()).isEqualTo("partition-1@1 (read first, newer timestamp)");
        assertThat(buffer.take()).isEqualTo("partition-1@1 (read first, newer timestamp)");
        assertThat(buffer.poll(10, TimeUnit.MILLISECONDS)).isEqualTo("partition-4@7 (older timestamp)");
        assertThat(buffer.take()).isEqualTo("partition-1@2");
        assertThat(buffer.poll(10, TimeUnit.MILLISECONDS)).isNull();
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void aFullBufferMakesTheReaderThreadWait_untilThereIsRoom() throws Exception {
        ConsumedOrderBuffer<Integer> buffer = new ConsumedOrderBuffer<>(1);
        buffer.put(1);
        assertThat(buffer.remainingCapacity()).isZero();

        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                buffer.put(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(100);
        assertThat(blocked).isNotDone();

        assertThat(buffer.take()).isEqualTo(1);
        blocked.get(5, TimeUnit.SECONDS);
        assertThat(buffer.take()).isEqualTo(2);
    }

    @Test
    void aConsumerFailureReachesTheReaderOnceTheRecordsBeforeItAreDrained() throws Exception {
        ConsumedOrderBuffer<String> buffer = new ConsumedOrderBuffer<>(10);
        buffer.put("last good record");
        buffer.setException(new IllegalStateException("broker unreachable"));

        assertThat(buffer.take()).isEqualTo("last good record");
        assertThatThrownBy(buffer::take).hasMessage("broker unreachable");
        assertThatThrownBy(() -> buffer.poll(10, TimeUnit.MILLISECONDS)).hasMessage("broker unreachable");
    }
}
