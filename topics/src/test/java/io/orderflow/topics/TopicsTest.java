package io.orderflow.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void givenThreeOrMoreBrokers_thenThreeCopiesAndTwoInSync() {
        List<TopicDefinition> topics = Topics.forCluster(5);

        assertThat(topics).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "2")
                    .containsEntry("unclean.leader.election.enable", "false");
            assertThat(topic.partitions()).isEqualTo(Topics.DEFAULT_PARTITIONS);
        });
    }

    @Test
    void givenOneBroker_thenOneCopyAndOneInSync() {
        assertThat(Topics.forCluster(1)).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).isEqualTo((short) 1);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "1");
        });
    }

    @Test
    void givenEventTopics_thenFactsAreKeptForGood_theInvoiceFeedFor35Days_andAddressTopicsAreCompacted() {
        List<TopicDefinition> topics = Topics.forCluster(3);

        assertThat(topics).extracting(TopicDefinition::name).containsExactlyElementsOf(Topics.names());
        assertThat(topics).filteredOn(t -> t.name().endsWith("-events")).hasSize(4).allSatisfy(topic ->
                assertThat(topic.configs()).containsEntry("cleanup.policy", "delete")
                        .containsEntry("retention.bytes", "-1"));
        assertThat(topics).filteredOn(t -> List.of("orderflow.order-events", "orderflow.customer-events",
                        "orderflow.fulfillment-events").contains(t.name())).hasSize(3)
                .allSatisfy(topic -> assertThat(topic.configs()).containsEntry("retention.ms", "-1"));
        assertThat(topics).filteredOn(t -> t.name().equals("orderflow.billing-events")).singleElement()
                .satisfies(topic -> assertThat(topic.configs())
                        .containsEntry("retention.ms", Long.toString(35L * 24 * 3600 * 1000)));
        assertThat(topics).filteredOn(t -> t.name().endsWith("-address-changed")).hasSize(2).allSatisfy(topic -> {
            assertThat(topic.configs()).containsEntry("cleanup.policy", "compact")
                    .containsEntry("max.compaction.lag.ms", Long.toString(7L * 24 * 3600 * 1000))
                    .containsEntry("delete.retention.ms", Long.toString(7L * 24 * 3600 * 1000))
                    .doesNotContainKey("retention.ms");
            assertThat(topic.keyedBy()).isEqualTo("customerId");
        });
    }

    @Test
    void everyTopicSaysWhyItKeepsWhatItKeeps_andADefinitionWithoutAReasonIsRefused() {
        assertThat(Topics.forCluster(1)).allSatisfy(topic -> assertThat(topic.retention()).hasSizeGreaterThan(40));
        assertThatThrownBy(() -> new TopicDefinition("t", "id", 1, (short) 1, java.util.Map.of(), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("why");
    }

    @Test
    void givenMinInSyncAboveReplicationFactor_thenRejected() {
        assertThatThrownBy(() -> Topics.definitions(6, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
