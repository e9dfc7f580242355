package io.orderflow.customer;

import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.CustomerCommands.ChangeBillingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.ChangeShippingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.CustomerWriteResult;
import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerCommands.EraseCustomerCommand;
import io.orderflow.customer.api.CustomerErasedEvent;
import io.orderflow.customer.api.CustomerErasedException;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.privacy.CustomerDataKeys;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static io.orderflow.customer.CustomerFixtures.ADA;
import static io.orderflow.customer.CustomerFixtures.ADA_EMAIL;
import static io.orderflow.customer.CustomerFixtures.ADA_NAME;
import static io.orderflow.customer.CustomerFixtures.ADA_REGISTERED;
import static io.orderflow.customer.CustomerFixtures.BANK;
import static io.orderflow.customer.CustomerFixtures.HOME;
import static io.orderflow.customer.CustomerFixtures.OFFICE;
import static io.orderflow.customer.CustomerFixtures.registerAda;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.axonframework.test.matchers.Matchers.andNoMore;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.predicate;

/**
 * The CustomerProfile aggregate as business scenarios. What a command refuses outright (a blank name, say) is in
 * {@link CustomerCommandsTest}: such a command never reaches the aggregate.
 */
class CustomerProfileTest {

    private static final AddressChangedEvent SHIPPING_TO_OFFICE =
            new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1);

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private FixtureConfiguration<CustomerProfile> fixture;
    private final CustomerDataKeys keys = mock(CustomerDataKeys.class);

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CustomerProfile.class);
        fixture.registerInjectableResource(keys);
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        // What the application gets from Axon's defaults: traceId and correlationId copied onto every event.
        fixture.registerCommandHandlerInterceptor(new CorrelationDataInterceptor<>(new MessageOriginProvider()));
    }

    @Test
    void givenNothing_whenRegisteredWithoutBillingAddress_thenRegisteredBillingTheShippingAddressAtVersionZero() {
        fixture.givenNoPriorActivity()
               .when(registerAda())
               .expectEvents(ADA_REGISTERED)
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 0))
               .expectState(profile -> assertThat(profile.version()).isZero());
    }

    @Test
    void givenNothing_whenRegisteredWithABillingAddress_thenRegisteredWithBothAddressesAtVersionZero() {
        fixture.givenNoPriorActivity()
               .when(new RegisterCustomerCommand(ADA, ADA_NAME, ADA_EMAIL, HOME, BANK))
               .expectEvents(new CustomerRegisteredEvent(ADA, ADA_NAME, ADA_EMAIL, HOME, BANK, 0))
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 0));
    }

    @Test
    void givenRegistered_whenShippingAddressChanged_thenAddressChangedWithNextVersion() {
        fixture.given(ADA_REGISTERED)
               .when(new ChangeShippingAddressCommand(ADA, OFFICE))
               .expectEvents(SHIPPING_TO_OFFICE)
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 1));
    }

    @Test
    void givenRegistered_whenBillingAddressChanged_thenAddressChangedWithNextVersion() {
        fixture.given(ADA_REGISTERED)
               .when(new ChangeBillingAddressCommand(ADA, BANK))
               .expectEvents(new AddressChangedEvent(ADA, AddressKind.BILLING, BANK, 1))
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 1));
    }

    @Test
    void givenShippingAddressChanged_whenBillingAddressChanged_thenVersionTwo() {
        fixture.given(ADA_REGISTERED, SHIPPING_TO_OFFICE)
               .when(new ChangeBillingAddressCommand(ADA, BANK))
               .expectEvents(new AddressChangedEvent(ADA, AddressKind.BILLING, BANK, 2))
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 2))
               .expectState(profile -> assertThat(profile.version()).isEqualTo(2));
    }

    @Test
    void givenShippingAddressChanged_whenTheSameShippingAddressIsSetAgain_thenNoEventAndTheCurrentVersion() {
        fixture.given(ADA_REGISTERED, SHIPPING_TO_OFFICE)
               .when(new ChangeShippingAddressCommand(ADA, OFFICE))
               .expectNoEvents()
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 1));
    }

    @Test
    void givenRegisteredWithoutBillingAddress_whenBillingAddressSetToTheShippingAddress_thenNoEventAndVersionZero() {
        fixture.given(ADA_REGISTERED)
               .when(new ChangeBillingAddressCommand(ADA, HOME))
               .expectNoEvents()
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 0));
    }

    @Test
    void givenShippingAddressChanged_whenChangedBackToTheFirstAddress_thenThatIsANewVersion() {
        // Versions count changes, not distinct addresses: an order that named version 1 must not ship home.
        fixture.given(ADA_REGISTERED, SHIPPING_TO_OFFICE)
               .when(new ChangeShippingAddressCommand(ADA, HOME))
               .expectEvents(new AddressChangedEvent(ADA, AddressKind.SHIPPING, HOME, 2))
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 2));
    }

    @Test
    void givenShippingAddressChanged_whenBillingAddressSetToTheSameValue_thenOnlyBillingIsCompared() {
        // Shipping is OFFICE now, billing still HOME: OFFICE for billing is a change although shipping has it.
        fixture.given(ADA_REGISTERED, SHIPPING_TO_OFFICE)
               .when(new ChangeBillingAddressCommand(ADA, OFFICE))
               .expectEvents(new AddressChangedEvent(ADA, AddressKind.BILLING, OFFICE, 2));
    }

    @Test
    void givenNoSuchCustomer_whenShippingAddressChanged_thenNotFoundAndNothingRecorded() {
        fixture.givenNoPriorActivity()
               .when(new ChangeShippingAddressCommand(ADA, OFFICE))
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }

    @Test
    void givenNoSuchCustomer_whenBillingAddressChanged_thenNotFoundAndNothingRecorded() {
        fixture.givenNoPriorActivity()
               .when(new ChangeBillingAddressCommand(ADA, BANK))
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }

    @Test
    void givenATraceId_whenRegistered_thenTheEventCarriesTheTraceIdAndACorrelationId() {
        fixture.givenNoPriorActivity()
               .when(registerAda(), MetaData.with("traceId", "trace-register"))
               .expectEventsMatching(exactSequenceOf(tracedAs("trace-register", CustomerRegisteredEvent.class),
                       andNoMore()));
    }

    @Test
    void givenATraceId_whenAnAddressChanged_thenTheEventCarriesTheTraceIdAndACorrelationId() {
        fixture.given(ADA_REGISTERED)
               .when(new ChangeShippingAddressCommand(ADA, OFFICE), MetaData.with("traceId", "trace-move"))
               .expectEventsMatching(exactSequenceOf(tracedAs("trace-move", AddressChangedEvent.class),
                       andNoMore()));
    }

    /**
     * An event of the given type whose metadata has the command's trace id and a correlation id of its own (the
     * command's message id), which is how a trace is followed from the HTTP request to Kafka.
     */
    private static Matcher<EventMessage<?>> tracedAs(String traceId, Class<?> payloadType) {
        return predicate(event -> payloadType.isInstance(event.getPayload())
                && traceId.equals(event.getMetaData().get("traceId"))
                && event.getMetaData().get("correlationId") instanceof String correlationId
                && !correlationId.isBlank() && !correlationId.equals(traceId));
    }

    @Test
    void givenRegisteredAndMoved_whenErased_thenErasedAtTheNextVersionAndTheKeyDeleted() {
        fixture.given(ADA_REGISTERED, SHIPPING_TO_OFFICE)
               .when(new EraseCustomerCommand(ADA, "customer"))
               .expectEvents(new CustomerErasedEvent(ADA, NOW, 2))
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 2));
        verify(keys).erase(ADA.value(), "customer");
    }

    @Test
    void givenErased_whenErasedAgain_thenNothingHappensAndTheSameVersionIsAnswered() {
        fixture.given(ADA_REGISTERED, new CustomerErasedEvent(ADA, NOW, 1))
               .when(new EraseCustomerCommand(ADA, "operator"))
               .expectNoEvents()
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 1));
        verify(keys, never()).erase(any(), any());
    }

    @Test
    void givenErased_whenAnAddressChanges_thenRefusedAsErased() {
        fixture.given(ADA_REGISTERED, new CustomerErasedEvent(ADA, NOW, 1))
               .when(new ChangeShippingAddressCommand(ADA, OFFICE))
               .expectNoEvents()
               .expectException(CustomerErasedException.class);
    }
}
