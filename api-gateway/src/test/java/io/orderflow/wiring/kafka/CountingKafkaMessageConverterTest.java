package io.orderflow.wiring.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Records the converter cannot read are counted per topic instead of vanishing (docs/engineering-notes.md, trap 6). */
class CountingKafkaMessageConverterTest {

    @SuppressWarnings("unchecked")
    private final KafkaMessageConverter<String, byte[]> delegate = Mockito.mock(KafkaMessageConverter.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountingKafkaMessageConverter converter = new CountingKafkaMessageConverter(delegate, meters);

    @Test
    void givenRecordsTheDelegateCannotRead_thenEachIsCountedUnderItsTopic() {
        ConsumerRecord<String, byte[]> foreign = new ConsumerRecord<>("orderflow.order-events", 1, 42L, "key",
                "not an event".getBytes());
        ConsumerRecord<String, byte[]> broken = new ConsumerRecord<>("orderflow.customer-events", 0, 7L, "key",
                new byte[] {1});
        Mockito.when(delegate.readKafkaMessage(foreign)).thenReturn(Optional.empty());
        Mockito.when(delegate.readKafkaMessage(broken)).thenThrow(new IllegalArgumentException("bad payload"));

        assertThat(converter.readKafkaMessage(foreign)).isEmpty();
        assertThat(converter.readKafkaMessage(broken)).isEmpty();
        assertThat(converter.readKafkaMessage(foreign)).isEmpty();

        assertThat(converter.unreadable()).isEqualTo(3);
        assertThat(meters.get(CountingKafkaMessageConverter.METRIC).tag("topic", "orderflow.order-events")
                .counter().count()).isEqualTo(2);
        assertThat(meters.get(CountingKafkaMessageConverter.METRIC).tag("topic", "orderflow.customer-events")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void givenAReadableRecord_thenItPassesAndNothingIsCounted() {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("orderflow.order-events", 0, 1L, "key",
                new byte[0]);
        EventMessage<?> event = GenericEventMessage.asEventMessage("payload");
        Mockito.when(delegate.readKafkaMessage(record)).thenReturn(Optional.of(event));

        assertThat(converter.readKafkaMessage(record)).contains(event);
        assertThat(converter.unreadable()).isZero();
        assertThat(meters.find(CountingKafkaMessageConverter.METRIC).counter()).isNull();
    }
}
