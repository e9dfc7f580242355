package io.orderflow.wiring.processors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.orderflow.billing.api.BillingProcessors;
import io.orderflow.billing.settings.BillingSettings;
import io.orderflow.fulfillment.api.FulfillmentProcessors;
import io.orderflow.fulfillment.settings.FulfillmentContextSettings;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.settings.ProjectionsSettings;
import io.orderflow.wiring.settings.WiringSettings;
import org.axonframework.config.ProcessingGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Every processing group of the code has exactly one declaration, and every declaration belongs to a processing
 * group: a processor added without its file here (or a file left behind) fails the build.
 */
class ProcessorDeclarationsTest {

    private static AnnotationConfigApplicationContext context;
    private static ProcessorCatalog catalog;

    @BeforeAll
    static void declare() {
        context = new AnnotationConfigApplicationContext();
        context.scan(ProcessorDeclarationsTest.class.getPackageName());
        // The declarations take their sizes from the contexts' settings, registered as the application does; these
        // three have no default outside application.yml.
        context.register(ProjectionsSettings.class, BillingSettings.class, FulfillmentContextSettings.class,
                WiringSettings.class);
        TestPropertyValues.of("orderflow.payment.provider-url=http://127.0.0.1:9",
                "orderflow.kafka.bootstrap-servers=127.0.0.1:9", "orderflow.public-base-url=http://localhost")
                .applyTo(context);
        context.refresh();
        catalog = context.getBean(ProcessorCatalog.class);
    }

    @AfterAll
    static void close() {
        context.close();
    }

    @Test
    void everyProcessingGroupIsDeclaredOnce_andEveryDeclarationHasHandlers() {
        Set<String> groups = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.orderflow").stream()
                .filter(type -> type.isAnnotatedWith(ProcessingGroup.class))
                .map(ProcessorDeclarationsTest::group)
                .collect(Collectors.toSet());
        Set<String> declared = catalog.all().stream().map(ProcessorDeclaration::name).collect(Collectors.toSet());
        Set<String> withoutHandlers = new HashSet<>(declared);
        withoutHandlers.removeAll(groups);

        assertThat(declared).as("declared processors").containsAll(groups);
        assertThat(withoutHandlers).as("declarations without a @ProcessingGroup (the Kafka extension's publisher"
                + " is registered by the extension)").containsExactly(ProcessorCatalog.KAFKA_PUBLISHER);
        assertThat(declared).containsAll(ProjectionProcessors.all())
                .contains(FulfillmentProcessors.FULFILLMENT, FulfillmentProcessors.DELIVERY_ADDRESS, BillingProcessors.BILLING);
    }

    /**
     * Retention follows from who reads a topic: a processor that reads Kafka may be rebuilt from offset 0 (if
     * replayable) or may be away for a while, so every topic a processor of orderflow reads keeps every record or
     * the latest per key. A topic with a time limit is one no processor of orderflow reads.
     */
    @Test
    void everyTopicAProcessorReadsKeepsEveryRecordOrTheLatestPerKey() {
        java.util.Map<String, io.orderflow.topics.TopicDefinition> topics = io.orderflow.topics.Topics.forCluster(3)
                .stream().collect(Collectors.toMap(io.orderflow.topics.TopicDefinition::name, topic -> topic));
        Set<String> read = new HashSet<>();
        for (ProcessorDeclaration processor : catalog.all()) {
            for (String topic : processor.source().topics()) {
                read.add(topic);
                assertThat(topics).as("%s reads %s, a topic defined in Topics", processor.name(), topic)
                        .containsKey(topic);
                java.util.Map<String, String> configs = topics.get(topic).configs();
                assertThat("compact".equals(configs.get("cleanup.policy")) || "-1".equals(configs.get("retention.ms")))
                        .as("%s reads %s, which must keep every record or the latest per key: %s",
                                processor.name(), topic, configs).isTrue();
            }
        }
        assertThat(topics.values()).filteredOn(topic -> !read.contains(topic.name()))
                .extracting(io.orderflow.topics.TopicDefinition::name)
                .as("topics no processor of orderflow reads").containsExactly("orderflow.billing-events");
    }

    @Test
    void theConsoleAnswersFromTheDeclarations() {
        assertThat(catalog.deadLettering()).containsExactlyInAnyOrder(ProjectionProcessors.ORDER_SUMMARY,
                ProjectionProcessors.CUSTOMER_PROFILE, ProjectionProcessors.ANALYTICS,
                ProjectionProcessors.NOTIFICATIONS);
        assertThat(catalog.kafkaTopicsOf(ProjectionProcessors.ORDER_SUMMARY)).isEmpty();
        assertThat(catalog.kafkaTopicsOf(FulfillmentProcessors.FULFILLMENT))
                .containsExactly("orderflow.order-events", "orderflow.fulfillment-events");
        assertThat(catalog.kafkaTopicsOf(BillingProcessors.BILLING))
                .containsExactly("orderflow.order-events", "orderflow.billing-address-changed");
        assertThat(catalog.whyNotReplayable(BillingProcessors.BILLING)).contains("issue them again");
        assertThat(catalog.whyNotReplayable(ProjectionProcessors.ANALYTICS)).isNull();
        assertThat(catalog.whyNotReplayable(ProjectionProcessors.NOTIFICATIONS)).contains("never replayed");
        assertThat(catalog.whyNotReplayable(ProcessorCatalog.KAFKA_PUBLISHER)).isNotNull();
        assertThat(catalog.whyNotReplayable("no-such-processor")).isNull();
    }

    @Test
    void aProcessorDeclaredTwice_isRefused() {
        ProcessorDeclaration one = catalog.all().get(0);
        assertThatIllegalStateException().isThrownBy(() -> new ProcessorCatalog(List.of(one, one)))
                .withMessageContaining("declared twice");
    }

    private static String group(JavaClass type) {
        return type.getAnnotationOfType(ProcessingGroup.class).value();
    }
}
