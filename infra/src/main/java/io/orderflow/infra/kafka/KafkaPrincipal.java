package io.orderflow.infra.kafka;

import io.orderflow.billing.api.BillingEventsTopic;
import io.orderflow.customer.api.AddressTopics;
import io.orderflow.customer.api.CustomerEventsTopic;
import io.orderflow.fulfillment.api.FulfillmentEventsTopic;
import io.orderflow.order.api.OrderEventsTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;

/**
 * The principals of a secured embedded cluster and what each may do: each writer writes only its own topics, each
 * reader reads only what it consumes, and no principal but the topic step's may create or change a topic.
 */
public enum KafkaPrincipal {

    /** The brokers themselves (replication); the only super user. */
    BROKER("orderflow-broker"),
    /** The topic step: creates the topics and brings their settings in line. */
    ADMIN("orderflow-admin"),
    /**
     * The application: its store publisher writes the facts it stores (order, customer, fulfillment and billing
     * topics); its processors read what they consume; it describes the topics to check them.
     */
    APP("orderflow-app"),
    /**
     * The address router (inside the application or on its own): reads the customer topic, writes the two address
     * topics in transactions of its own id, and keeps its state in topics named after its application id.
     */
    ROUTER("orderflow-router"),
    /** Kafka Connect: its internal topics, the change-data topics it writes, the order facts its sink reads. */
    CONNECT("orderflow-connect"),
    /** An operator's tools (kcat): reads every orderflow topic and its settings, writes and changes none. */
    INSPECTOR("orderflow-inspector");

    /** The address router's Kafka Streams application id: its group, transactional ids and state topics. */
    private static final String ROUTER_APPLICATION = "orderflow-address-routing";
    private static final String TOPICS = "orderflow.";

    private final String user;

    KafkaPrincipal(String user) {
        this.user = user;
    }

    /** The SCRAM user name. */
    public String user() {
        return user;
    }

    /** The ACLs that allow this principal what it needs, and nothing else. */
    public List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        switch (this) {
            case BROKER -> {
                // A super user: no ACL needed.
            }
            case ADMIN -> {
                prefixedTopics(acls, TOPICS, AclOperation.CREATE, AclOperation.ALTER, AclOperation.ALTER_CONFIGS,
                        AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
                cluster(acls, AclOperation.DESCRIBE);
            }
            case APP -> {
                for (String topic : List.of(OrderEventsTopic.NAME, CustomerEventsTopic.NAME,
                        FulfillmentEventsTopic.NAME, BillingEventsTopic.NAME)) {
                    topic(acls, topic, AclOperation.WRITE);
                }
                for (String topic : List.of(OrderEventsTopic.NAME, CustomerEventsTopic.NAME,
                        FulfillmentEventsTopic.NAME, AddressTopics.SHIPPING, AddressTopics.BILLING)) {
                    topic(acls, topic, AclOperation.READ);
                }
                prefixedTopics(acls, TOPICS, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
                cluster(acls, AclOperation.DESCRIBE, AclOperation.IDEMPOTENT_WRITE);
            }
            case ROUTER -> {
                topic(acls, CustomerEventsTopic.NAME, AclOperation.READ);
                topic(acls, AddressTopics.SHIPPING, AclOperation.WRITE);
                topic(acls, AddressTopics.BILLING, AclOperation.WRITE);
                allow(acls, new ResourcePattern(ResourceType.GROUP, ROUTER_APPLICATION, PatternType.LITERAL), AclOperation.READ);
                allow(acls, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, ROUTER_APPLICATION, PatternType.PREFIXED),
                        AclOperation.WRITE, AclOperation.DESCRIBE);
                prefixedTopics(acls, ROUTER_APPLICATION + "-", AclOperation.ALL);
                cluster(acls, AclOperation.DESCRIBE, AclOperation.IDEMPOTENT_WRITE);
            }
            case CONNECT -> {
                prefixedTopics(acls, TOPICS + "connect-", AclOperation.ALL);
                prefixedTopics(acls, TOPICS + "cdc.", AclOperation.CREATE, AclOperation.WRITE, AclOperation.READ,
                        AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
                // Debezium's heartbeats, on a topic named after the connector's prefix.
                prefixedTopics(acls, "__debezium-heartbeat." + TOPICS + "cdc", AclOperation.CREATE,
                        AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
                allow(acls, new ResourcePattern(ResourceType.GROUP, "orderflow-connect", PatternType.LITERAL),
                        AclOperation.READ, AclOperation.DESCRIBE);
                allow(acls, new ResourcePattern(ResourceType.GROUP, "connect-", PatternType.PREFIXED),
                        AclOperation.READ, AclOperation.DESCRIBE);
                cluster(acls, AclOperation.DESCRIBE, AclOperation.IDEMPOTENT_WRITE);
            }
            case INSPECTOR -> {
                prefixedTopics(acls, TOPICS, AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
                allow(acls, new ResourcePattern(ResourceType.GROUP, "orderflow-inspect", PatternType.PREFIXED),
                        AclOperation.READ);
                cluster(acls, AclOperation.DESCRIBE);
            }
        }
        return acls;
    }

    private void topic(List<AclBinding> acls, String topic, AclOperation operation) {
        allow(acls, new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), operation,
                AclOperation.DESCRIBE);
    }

    private void prefixedTopics(List<AclBinding> acls, String prefix, AclOperation... operations) {
        allow(acls, new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED), operations);
    }

    private void cluster(List<AclBinding> acls, AclOperation... operations) {
        allow(acls, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), operations);
    }

    private void allow(List<AclBinding> acls, ResourcePattern resource, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(resource, new AccessControlEntry("User:" + user, "*", operation,
                    AclPermissionType.ALLOW)));
        }
    }
}
