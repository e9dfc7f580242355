package io.orderflow.wiring.kafka;

import io.orderflow.topics.CloudEventHeaders;
import io.orderflow.wiring.axon.TraceMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Makes every record the application forwards a CloudEvent in binary mode, with a W3C {@code traceparent}
 * ({@link CloudEventHeaders}): Axon's converter writes the record and its {@code axon-*} headers, this adds the
 * CloudEvents attributes of the same event, its schema's address and its trace. Reading is Axon's, unchanged.
 */
final class CloudEventsKafkaMessageConverter implements KafkaMessageConverter<String, byte[]> {

    private static final String AXON_REVISION = "axon-message-revision";

    private final KafkaMessageConverter<String, byte[]> delegate;
    private final String contractsUrl;

    /**
     * @param contractsUrl where the contracts are served ({@code <public base URL>/api/contracts}); each record's
     *                     {@code ce_dataschema} is its revision's schema there
     */
    CloudEventsKafkaMessageConverter(KafkaMessageConverter<String, byte[]> delegate, String contractsUrl) {
        this.delegate = delegate;
        this.contractsUrl = contractsUrl;
    }

    @Override
    public ProducerRecord<String, byte[]> createKafkaMessage(EventMessage<?> event, String topic) {
        ProducerRecord<String, byte[]> record = delegate.createKafkaMessage(event, topic);
        Header revisionHeader = record.headers().lastHeader(AXON_REVISION);
        String revision = revisionHeader == null || revisionHeader.value() == null ? "0"
                : new String(revisionHeader.value(), StandardCharsets.UTF_8);
        Object traceId = event.getMetaData().get(TraceMetadata.TRACE_ID);
        CloudEventHeaders.write(record.headers(), new CloudEventHeaders.Attributes(event.getIdentifier(),
                event.getPayloadType(), revision, event.getTimestamp(), record.key(),
                CloudEventHeaders.dataSchema(contractsUrl, event.getPayloadType(), revision),
                traceId == null ? null : traceId.toString()));
        return record;
    }

    @Override
    public Optional<EventMessage<?>> readKafkaMessage(ConsumerRecord<String, byte[]> consumerRecord) {
        return delegate.readKafkaMessage(consumerRecord);
    }
}
