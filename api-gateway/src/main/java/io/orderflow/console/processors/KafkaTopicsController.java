package io.orderflow.console.processors;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.orderflow.wiring.processors.ProcessorCatalog;
import io.orderflow.topics.Topics;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Kafka topics for the operator: partitions with leader, replicas, in-sync replicas and end offset, and the lag
 * of every processor that reads each topic (their positions are tokens in PostgreSQL, not consumer-group offsets).
 */
@RestController
class KafkaTopicsController {

    private final KafkaHeads kafka;
    private final ProcessorInspector processors;
    private final EventProcessingConfiguration processing;

    private final ProcessorCatalog catalog;

    KafkaTopicsController(KafkaHeads kafka, ProcessorInspector processors, EventProcessingConfiguration processing,
                          ProcessorCatalog catalog) {
        this.catalog = catalog;
        this.kafka = kafka;
        this.processors = processors;
        this.processing = processing;
    }

    record TopicView(String topic, boolean reachable, List<PartitionView> partitions, List<ConsumerView> consumers) {
    }

    record PartitionView(int partition,
                         @Schema(nullable = true, description = "null while the partition has no leader")
                         Integer leader,
                         List<Integer> replicas, List<Integer> inSyncReplicas,
                         @Schema(nullable = true, description = "null when the broker could not say") Long endOffset) {
    }

    record ConsumerView(String processor,
                        @Schema(nullable = true, description = "null until the consumer has committed a position")
                        Long lag) {
    }

    @Operation(operationId = "listKafkaTopics", summary = "List the Kafka topics",
            description = "Partitions, end offsets and each consumer group's lag.")
    @GetMapping(path = "/api/admin/kafka/topics", produces = MediaType.APPLICATION_JSON_VALUE)
    List<TopicView> topics() {
        List<String> names = Topics.names().stream().sorted().toList();
        Map<String, TopicDescription> described = kafka.describe(names);
        Map<TopicPartition, Long> ends = kafka.endOffsets(described.keySet());
        List<TopicView> views = new ArrayList<>();
        for (String topic : names) {
            TopicDescription description = described.get(topic);
            List<PartitionView> partitions = description == null ? List.of() : description.partitions().stream()
                    .map(partition -> new PartitionView(partition.partition(),
                            partition.leader() == null ? null : partition.leader().id(),
                            partition.replicas().stream().map(Node::id).toList(),
                            partition.isr().stream().map(Node::id).toList(),
                            ends.get(new TopicPartition(topic, partition.partition()))))
                    .toList();
            List<ConsumerView> consumers = new ArrayList<>();
            for (String processor : new TreeSet<>(processing.eventProcessors().keySet())) {
                if (catalog.kafkaTopicsOf(processor).contains(topic)) {
                    consumers.add(new ConsumerView(processor, processors.kafkaLag(processor, topic, ends)));
                }
            }
            views.add(new TopicView(topic, description != null, partitions, consumers));
        }
        return views;
    }
}
