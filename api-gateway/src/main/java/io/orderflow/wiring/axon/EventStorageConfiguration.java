package io.orderflow.wiring.axon;

import io.orderflow.wiring.settings.EventStoreProperties;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How events are appended and read: Axon's JDBC storage engine on the event tables of {@code V1__axon_framework.sql}
 * (ADR 0014, amending ADR 0001). Appending a unit of work's events is one batched {@code INSERT} whose global index
 * the database hands out ({@code V12}); the JPA engine persisted, flushed and fetched a sequence value for each
 * event, which cost more CPU than any other single thing an order does. Reading goes through plain JDBC too. Tokens,
 * sagas and dead letters stay with JPA.
 */
@Configuration(proxyBeanMethods = false)
class EventStorageConfiguration {

    /** Axon's tables under Spring's physical naming (snake case), as Flyway created them. */
    static EventSchema schema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /**
     * Declared here, Axon's JPA storage engine is not built. The duplicate-key resolver is the one Axon's JPA set-up
     * provides (PostgreSQL's SQL state 23505), so two writers of one order still meet as a conflict, never a fork.
     * A processor reads up to {@code orderflow.event-store.batch-size} events per query (Axon's default is 100,
     * which made a replay wait for a round trip every 100 events).
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          EventStoreProperties settings) {
        int batchSize = settings.batchSize();
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .dataType(byte[].class)
                .batchSize(batchSize)
                .schema(schema())
                .build();
    }
}
