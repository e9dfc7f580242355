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
    void givenEventTopics_thenEverythingIsKept_andAddressTopicsAreCompacted() {
        List<TopicDefinition> topics = Topics.forCluster(3);

        assertThat(topics).extracting(TopicDefinition::name).containsExactlyElementsOf(Topics.names());
        assertThat(topics).filteredOn(t -> t.name().endsWith("-events")).hasSize(4).allSatisfy(topic ->
                assertThat(topic.configs()).containsEntry("cleanup.policy", "delete")
                        .containsEntry("retention.ms", "-1").containsEntry("retention.bytes", "-1"));
        assertThat(topics).filteredOn(t -> t.name().endsWith("-address-changed")).hasSize(2).allSatisfy(topic -> {
            assertThat(topic.configs()).containsEntry("cleanup.policy", "compact");
            assertThat(topic.keyedBy()).isEqualTo("customerId");
        });
    }

    @Test
    void givenMinInSyncAboveReplicationFactor_thenRejected() {
        assertThatThrownBy(() -> Topics.definitions(6, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
