package io.orderflow.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The boundaries of docs/architecture.md, checked on every build: contexts meet only through each other's
 * {@code api} packages, the domain knows nothing of web or persistence, and the read side never commands.
 */
@AnalyzeClasses(packages = "io.orderflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ORDER_INTERNALS = "io.orderflow.order";
    private static final String[] PERSISTENCE_AND_WEB = {
            "jakarta.persistence..", "org.hibernate..", "org.springframework.data..", "org.springframework.jdbc..",
            "org.springframework.web..", "jakarta.servlet.."};

    @ArchTest
    static final ArchRule theOrderContextIsUsedOnlyThroughItsApi = noClasses()
            .that().resideOutsideOfPackage("io.orderflow.order..")
            .should().dependOnClassesThat().resideInAnyPackage(ORDER_INTERNALS, "io.orderflow.order.catalogue..")
            .because("other contexts and modules may use only io.orderflow.order.api");

    @ArchTest
    static final ArchRule theCustomerContextIsUsedOnlyThroughItsApi = noClasses()
            .that().resideOutsideOfPackage("io.orderflow.customer..")
            .should().dependOnClassesThat().resideInAPackage("io.orderflow.customer")
            .because("other contexts and modules may use only io.orderflow.customer.api");

    @ArchTest
    static final ArchRule theFulfillmentContextIsUsedOnlyThroughItsApi = noClasses()
            .that().resideOutsideOfPackage("io.orderflow.fulfillment..")
            .should().dependOnClassesThat().resideInAnyPackage("io.orderflow.fulfillment",
                    "io.orderflow.fulfillment.saga..", "io.orderflow.fulfillment.inventory..",
                    "io.orderflow.fulfillment.payment..", "io.orderflow.fulfillment.shipment..",
                    "io.orderflow.fulfillment.address..")
            .because("other contexts and modules may use only io.orderflow.fulfillment.api");

    @ArchTest
    static final ArchRule theBillingContextIsUsedOnlyThroughItsApi = noClasses()
            .that().resideOutsideOfPackage("io.orderflow.billing..")
            .should().dependOnClassesThat(resideInAPackage("io.orderflow.billing..")
                    .and(not(resideInAnyPackage("io.orderflow.billing.api..", "io.orderflow.billing.settings.."))))
            .because("other contexts and modules may use only io.orderflow.billing.api (and the wiring its settings,"
                    + " ADR 0044)");

    @ArchTest
    static final ArchRule billingNeverReachesIntoOtherContexts = noClasses()
            .that().resideInAPackage("io.orderflow.billing..")
            .should().dependOnClassesThat().resideInAnyPackage("io.orderflow.projections..", "io.orderflow.gateway..",
                    "io.orderflow.fulfillment..", "io.orderflow.customer")
            .because("billing learns about orders and addresses from Kafka, never from other contexts' tables");

    @ArchTest
    static final ArchRule projectionsAreUsedOnlyThroughTheirQueries = noClasses()
            .that().resideOutsideOfPackage("io.orderflow.projections..")
            .should().dependOnClassesThat(resideInAPackage("io.orderflow.projections..")
                    .and(not(resideInAnyPackage("io.orderflow.projections.api..",
                            "io.orderflow.projections.settings.."))))
            .because("the gateway asks the read side through query messages in io.orderflow.projections.api (and the"
                    + " wiring reads its settings, ADR 0044)");

    @ArchTest
    static final ArchRule contextsDoNotKnowEachOther = noClasses()
            .that().resideInAPackage("io.orderflow.customer..")
            .should().dependOnClassesThat().resideInAPackage("io.orderflow.order..")
            .because("the customer context owns its own ids and addresses");

    @ArchTest
    static final ArchRule theDomainKnowsNeitherWebNorPersistence = noClasses()
            .that().resideInAnyPackage(ORDER_INTERNALS, "io.orderflow.order.api..", "io.orderflow.customer",
                    "io.orderflow.customer.api..", "io.orderflow.values..")
            .should().dependOnClassesThat().resideInAnyPackage(PERSISTENCE_AND_WEB);

    @ArchTest
    static final ArchRule fulfillmentNeverReachesIntoOtherContexts = noClasses()
            .that().resideInAPackage("io.orderflow.fulfillment..")
            .should().dependOnClassesThat().resideInAnyPackage("io.orderflow.projections..", "io.orderflow.gateway..")
            .because("fulfillment learns about orders and customers from Kafka, never from their tables or views");

    @ArchTest
    static final ArchRule projectionsSendNoCommands = noClasses()
            .that().resideInAPackage("io.orderflow.projections..")
            .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.commandhandling..")
            .because("a projection that commands would act again on every replay");

    @ArchTest
    static final ArchRule settingsPackagesHoldOnlySettings = noClasses()
            .that().resideInAnyPackage("io.orderflow.fulfillment.settings..", "io.orderflow.billing.settings..",
                    "io.orderflow.projections.settings..")
            .should().dependOnClassesThat(resideInAPackage("io.orderflow..")
                    .and(not(resideInAnyPackage("io.orderflow.fulfillment.settings..",
                            "io.orderflow.billing.settings..", "io.orderflow.projections.settings.."))))
            .because("a context's settings package is its configuration contract, which the wiring reads (ADR 0044):"
                    + " it must not open a way into the context's internals");

    @ArchTest
    static final ArchRule apiPackagesHoldOnlyContracts = noClasses()
            .that().resideInAnyPackage("io.orderflow.order.api..", "io.orderflow.customer.api..",
                    "io.orderflow.projections.api..", "io.orderflow.fulfillment.api..", "io.orderflow.billing.api..",
                    "io.orderflow.values..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
            .because("an api package holds messages and value types that any consumer can depend on");

    @ArchTest
    static final ArchRule nothingOutsideTheDevelopmentLauncherUsesIt = noClasses()
            .that().resideOutsideOfPackage("io.orderflow.infra..")
            .should().dependOnClassesThat().resideInAPackage("io.orderflow.infra..")
            .because("the embedded servers are left out of the production jar (ADR 0017): code that used them would"
                    + " fail there with a NoClassDefFoundError");

    @ArchTest
    static final ArchRule thePublicApiDoesNotReachIntoTheOperatorConsole = noClasses()
            .that().resideInAPackage("io.orderflow.gateway..")
            .should().dependOnClassesThat().resideInAPackage("io.orderflow.console..")
            .because("the public REST API (io.orderflow.gateway) and the operator console (io.orderflow.console) are"
                    + " separate rooms: the console may use the API's HTTP plumbing (gateway.web), never the other"
                    + " way round");

    @ArchTest
    static final ArchRule theWiringKnowsNoEndpoint = noClasses()
            .that().resideInAPackage("io.orderflow.wiring..")
            .should().dependOnClassesThat().resideInAnyPackage("io.orderflow.gateway..", "io.orderflow.console..")
            .because("the wiring (Axon, Kafka, processors, database) assembles the contexts; endpoints use it, it"
                    + " uses none of them");
}
