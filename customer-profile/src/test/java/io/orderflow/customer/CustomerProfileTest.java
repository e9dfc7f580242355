package io.orderflow.customer;

import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.CustomerCommands.ChangeAddressCommand;
import io.orderflow.customer.api.CustomerCommands.CustomerWriteResult;
import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CustomerProfileTest {

    private static final CustomerId ADA = new CustomerId(UUID.fromString("0b9e8f7a-6c5d-4e3f-8a1b-2c3d4e5f6a7b"));
    private static final PostalAddress HOME = new PostalAddress("Hauptstrasse 1", "Berlin", "10115", "DE");
    private static final PostalAddress OFFICE = new PostalAddress("Rue de Rivoli 2", "Paris", "75001", "FR");
    private static final CustomerRegisteredEvent ADA_REGISTERED =
            new CustomerRegisteredEvent(ADA, "Ada Lovelace", "ada@example.com", HOME, HOME, 0);

    private FixtureConfiguration<CustomerProfile> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CustomerProfile.class);
        fixture.registerCommandHandlerInterceptor(new CorrelationDataInterceptor<>(new MessageOriginProvider()));
    }

    @Test
    void givenNothing_whenRegisteredWithoutBillingAddress_thenRegisteredBillingTheShippingAddressAtVersionZero() {
        fixture.givenNoPriorActivity()
               .when(new RegisterCustomerCommand(ADA, "Ada Lovelace", "ada@example.com", HOME, null))
               .expectEvents(ADA_REGISTERED)
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 0));
    }

    @Test
    void givenRegistered_whenShippingAddressChanged_thenAddressChangedWithTheNextVersion() {
        fixture.given(ADA_REGISTERED)
               .when(new ChangeAddressCommand(ADA, AddressKind.SHIPPING, OFFICE))
               .expectEvents(new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1))
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 1));
    }

    @Test
    void givenShippingChanged_whenBillingAddressChanged_thenVersionTwo() {
        fixture.given(ADA_REGISTERED, new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1))
               .when(new ChangeAddressCommand(ADA, AddressKind.BILLING, OFFICE))
               .expectEvents(new AddressChangedEvent(ADA, AddressKind.BILLING, OFFICE, 2))
               .expectState(profile -> assertThat(profile.version()).isEqualTo(2));
    }

    @Test
    void givenRegistered_whenTheSameAddressIsSetAgain_thenNothingChangesAndTheCurrentVersionIsAnswered() {
        fixture.given(ADA_REGISTERED, new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1))
               .when(new ChangeAddressCommand(ADA, AddressKind.SHIPPING, OFFICE))
               .expectNoEvents()
               .expectResultMessagePayload(new CustomerWriteResult(ADA, 1));
    }

    @Test
    void givenNoSuchCustomer_whenAnAddressIsChanged_thenNotFound() {
        fixture.givenNoPriorActivity()
               .when(new ChangeAddressCommand(ADA, AddressKind.SHIPPING, OFFICE))
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }

    @Test
    void eventsCarryTheTraceIdAndCorrelationIdOfTheCommandThatCausedThem() {
        fixture.given(ADA_REGISTERED)
               .when(new ChangeAddressCommand(ADA, AddressKind.SHIPPING, OFFICE), MetaData.with("traceId", "t-1"))
               .expectSuccessfulHandlerExecution();
        List<EventMessage<?>> events = new ArrayList<>();
        fixture.getEventStore().readEvents(ADA.toString()).asStream().skip(1).forEach(events::add);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getMetaData()).containsEntry("traceId", "t-1");
            assertThat(event.getMetaData().get("correlationId")).isNotNull().isNotEqualTo("t-1");
        });
    }

    @Test
    void registrationRefusesWhatCanNeverBeAProfile() {
        assertThatIllegalArgumentException().isThrownBy(() -> register(" ", "ada@example.com"));
        assertThatIllegalArgumentException().isThrownBy(() -> register("x".repeat(201), "ada@example.com"));
        assertThatIllegalArgumentException().isThrownBy(() -> register("Ada\u0000", "ada@example.com"));
        assertThatIllegalArgumentException().isThrownBy(() -> register("Ada", "ada@"));
        assertThatIllegalArgumentException().isThrownBy(() -> register("Ada", "ada lovelace@example.com"));
        assertThatIllegalArgumentException().isThrownBy(() -> new PostalAddress("s", "c", "1", "XX"));
        assertThat(register("Ada \uD83D\uDE80 \u05E2\u05D3\u05D4", "ada@example.com").name())
                .isEqualTo("Ada \uD83D\uDE80 \u05E2\u05D3\u05D4");
    }

    private static RegisterCustomerCommand register(String name, String email) {
        return new RegisterCustomerCommand(ADA, name, email, HOME, null);
    }
}
