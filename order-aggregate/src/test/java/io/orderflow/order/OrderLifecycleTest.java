package io.orderflow.order;

import io.orderflow.customer.api.CustomerId;
import io.orderflow.fixtures.Examples;
import io.orderflow.order.api.FailureReason;
import io.orderflow.order.api.OrderAwaitingAddressEvent;
import io.orderflow.order.api.OrderCancelledEvent;
import io.orderflow.order.api.Money;
import io.orderflow.order.api.OrderAcceptedEvent;
import io.orderflow.order.api.OrderCommands.CancelOrderCommand;
import io.orderflow.order.api.OrderCommands.CompleteOrderCommand;
import io.orderflow.order.api.OrderCommands.FailOrderCommand;
import io.orderflow.order.api.OrderCommands.MarkOrderAwaitingAddressCommand;
import io.orderflow.order.api.OrderCommands.OrderWriteResult;
import io.orderflow.order.api.OrderCommands.RecordPaymentAuthorizedCommand;
import io.orderflow.order.api.OrderCommands.RecordShipmentArrangedCommand;
import io.orderflow.order.api.OrderCommands.RecordStockReservedCommand;
import io.orderflow.order.api.OrderCompletedEvent;
import io.orderflow.order.api.OrderFailedEvent;
import io.orderflow.order.api.OrderPaymentAuthorizedEvent;
import io.orderflow.order.api.OrderRejectedException;
import io.orderflow.order.api.OrderShipmentArrangedEvent;
import io.orderflow.order.api.OrderStatus;
import io.orderflow.order.api.OrderStockReservedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.orderflow.order.OrderFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.hasProperty;
import static org.hamcrest.Matchers.instanceOf;

/** The order after acceptance: fulfillment's steps, failure and cancellation, each idempotent. */
class OrderLifecycleTest {

    private static final OrderStockReservedEvent STOCK_RESERVED = new OrderStockReservedEvent(ORDER_ID);
    private static final OrderPaymentAuthorizedEvent PAYMENT_AUTHORIZED = new OrderPaymentAuthorizedEvent(ORDER_ID);
    private static final OrderShipmentArrangedEvent SHIPMENT_ARRANGED = new OrderShipmentArrangedEvent(ORDER_ID);

    private FixtureConfiguration<Order> fixture;

    /** What the payment ledger records for the accepted order: exactly its total. */
    private static Money theTotal() {
        OrderAcceptedEvent accepted = twoBeansAndAMugAccepted();
        return Money.of(accepted.totalAmount().toPlainString(), accepted.currency());
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Order.class);
        fixture.registerInjectableResource(CATALOGUE);
        fixture.registerInjectableResource(CLOCK);
        // As in the application: Axon's default correlation data provider copies the trace onto every event.
        fixture.registerCommandHandlerInterceptor(new CorrelationDataInterceptor<>(new MessageOriginProvider()));
    }

    @Test
    void givenAccepted_whenStockReserved_thenStockReservedAtVersionOne() {
        fixture.given(twoBeansAndAMugAccepted())
               .when(new RecordStockReservedCommand(ORDER_ID))
               .expectEvents(STOCK_RESERVED)
               .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.STOCK_RESERVED, 1));
    }

    @Test
    void givenStockReserved_whenStockReservedAgain_thenNothingNewAndTheSameAnswer() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED)
               .when(new RecordStockReservedCommand(ORDER_ID))
               .expectNoEvents()
               .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.STOCK_RESERVED, 1));
    }

    @Test
    void givenStockReserved_whenPaymentAuthorized_thenPaymentAuthorized() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED)
               .when(new RecordPaymentAuthorizedCommand(ORDER_ID, theTotal()))
               .expectEvents(PAYMENT_AUTHORIZED)
               .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.PAYMENT_AUTHORIZED, 2));
    }

    @Test
    void givenStockReserved_whenAnotherAmountIsAuthorized_thenRejectedNamingBoth() {
        Money total = theTotal();
        for (Money wrong : List.of(Money.of("0.01", total.currency().getCurrencyCode()),
                total.plus(Money.of("0.01", total.currency().getCurrencyCode())),
                Money.of(total.amount().toPlainString(), "USD"))) {
            fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED)
                   .when(new RecordPaymentAuthorizedCommand(ORDER_ID, wrong))
                   .expectNoEvents()
                   .expectException(invalidTransition())
                   .expectExceptionMessage(org.hamcrest.Matchers.allOf(
                           org.hamcrest.Matchers.containsString(wrong.toString()),
                           org.hamcrest.Matchers.containsString(total.toString())));
        }
    }

    @Test
    void givenAccepted_whenPaymentAuthorizedBeforeStock_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted())
               .when(new RecordPaymentAuthorizedCommand(ORDER_ID, theTotal()))
               .expectNoEvents()
               .expectException(invalidTransition());
    }

    @Test
    void givenPaymentAuthorized_whenShipmentArranged_thenShipmentArranged() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED)
               .when(new RecordShipmentArrangedCommand(ORDER_ID))
               .expectEvents(SHIPMENT_ARRANGED);
    }

    @Test
    void givenStockReserved_whenShipmentArrangedBeforePayment_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED)
               .when(new RecordShipmentArrangedCommand(ORDER_ID))
               .expectNoEvents()
               .expectException(invalidTransition());
    }

    @Test
    void givenShipmentArranged_whenCompleted_thenCompleted_andCompletingAgainChangesNothing() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED, SHIPMENT_ARRANGED)
               .when(new CompleteOrderCommand(ORDER_ID))
               .expectEvents(new OrderCompletedEvent(ORDER_ID))
               .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.COMPLETED, 4));

        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED, SHIPMENT_ARRANGED,
                        new OrderCompletedEvent(ORDER_ID))
               .when(new CompleteOrderCommand(ORDER_ID))
               .expectNoEvents()
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void givenPaymentAuthorized_whenCompletedWithoutShipment_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED)
               .when(new CompleteOrderCommand(ORDER_ID))
               .expectNoEvents()
               .expectException(invalidTransition());
    }

    @Test
    void givenAccepted_whenAwaitingAddress_thenAwaitingAddress_andAgainChangesNothing() {
        fixture.given(twoBeansAndAMugAccepted())
               .when(new MarkOrderAwaitingAddressCommand(ORDER_ID))
               .expectEvents(new OrderAwaitingAddressEvent(ORDER_ID));

        fixture.given(twoBeansAndAMugAccepted(), new OrderAwaitingAddressEvent(ORDER_ID))
               .when(new MarkOrderAwaitingAddressCommand(ORDER_ID))
               .expectNoEvents();
    }

    @Test
    void givenShipmentArranged_whenAwaitingAddress_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED, SHIPMENT_ARRANGED)
               .when(new MarkOrderAwaitingAddressCommand(ORDER_ID))
               .expectException(invalidTransition());
    }

    @Test
    void givenStockReserved_whenFailedOutOfStock_thenFailedWithTheReason_andTheSameFailureAgainChangesNothing() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED)
               .when(new FailOrderCommand(ORDER_ID, FailureReason.PAYMENT_DECLINED))
               .expectEvents(new OrderFailedEvent(ORDER_ID, FailureReason.PAYMENT_DECLINED))
               .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.FAILED, 2))
               .expectState(order -> assertThat(order.status()).isEqualTo(OrderStatus.FAILED));

        fixture.given(twoBeansAndAMugAccepted(), new OrderFailedEvent(ORDER_ID, FailureReason.OUT_OF_STOCK))
               .when(new FailOrderCommand(ORDER_ID, FailureReason.OUT_OF_STOCK))
               .expectNoEvents()
               .expectSuccessfulHandlerExecution();
    }

    @Test
    void givenFailed_whenFailedForAnotherReasonOrAnyStepIsReported_thenRejected() {
        for (Object command : List.of(new FailOrderCommand(ORDER_ID, FailureReason.SHIPMENT_FAILED),
                new RecordStockReservedCommand(ORDER_ID), new CancelOrderCommand(ORDER_ID, "changed my mind"))) {
            fixture.given(twoBeansAndAMugAccepted(), new OrderFailedEvent(ORDER_ID, FailureReason.OUT_OF_STOCK))
                   .when(command)
                   .expectNoEvents()
                   .expectException(invalidTransition());
        }
    }

    @Test
    void givenShipmentArranged_whenFailed_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED, SHIPMENT_ARRANGED)
               .when(new FailOrderCommand(ORDER_ID, FailureReason.SHIPMENT_FAILED))
               .expectException(invalidTransition());
    }

    @Test
    void givenPaymentAuthorized_whenCancelled_thenCancelledWithTheReason() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED)
               .when(new CancelOrderCommand(ORDER_ID, "found it cheaper"))
               .expectEvents(new OrderCancelledEvent(ORDER_ID, "found it cheaper"))
               .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.CANCELLED, 3));
    }

    @Test
    void givenAdasOrder_whenAdaCancelsIt_thenCancelled() {
        fixture.given(twoBeansAndAMugAccepted())
               .when(new CancelOrderCommand(ORDER_ID, "found it cheaper", Examples.ADA))
               .expectEvents(new OrderCancelledEvent(ORDER_ID, "found it cheaper"));
    }

    @Test
    void givenAdasOrder_whenAnotherCustomerCancelsIt_thenRejectedAsNotTheirs_andNothingHappens() {
        fixture.given(twoBeansAndAMugAccepted())
               .when(new CancelOrderCommand(ORDER_ID, "not mine", CustomerId.of("7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f")))
               .expectNoEvents()
               .expectException(allOf(instanceOf(OrderRejectedException.class),
                       hasProperty("message", org.hamcrest.Matchers.equalTo("no order " + ORDER_ID))));
    }

    @Test
    void givenCancelled_whenTheSameCancellationComesAgain_thenNothingNewAndTheCancelledOrder() {
        fixture.given(twoBeansAndAMugAccepted(), new OrderCancelledEvent(ORDER_ID, "first"))
               .when(new CancelOrderCommand(ORDER_ID, "first"))
               .expectNoEvents()
               .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.CANCELLED, 1));
    }

    @Test
    void givenCancelled_whenCancelledForAnotherReason_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted(), new OrderCancelledEvent(ORDER_ID, "first"))
               .when(new CancelOrderCommand(ORDER_ID, "second"))
               .expectNoEvents()
               .expectException(invalidTransition());
    }

    @Test
    void givenCancelled_whenFulfillmentReportsAStep_thenNothingNewAndTheCancelledOrder() {
        for (Object command : List.of(new MarkOrderAwaitingAddressCommand(ORDER_ID),
                new RecordStockReservedCommand(ORDER_ID), new RecordPaymentAuthorizedCommand(ORDER_ID, theTotal()),
                new RecordShipmentArrangedCommand(ORDER_ID), new CompleteOrderCommand(ORDER_ID),
                new FailOrderCommand(ORDER_ID, FailureReason.OUT_OF_STOCK))) {
            fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, new OrderCancelledEvent(ORDER_ID, "oops"))
                   .when(command)
                   .expectNoEvents()
                   .expectResultMessagePayload(new OrderWriteResult(ORDER_ID, OrderStatus.CANCELLED, 2));
        }
    }

    @Test
    void givenShipmentArranged_whenCancelled_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED, SHIPMENT_ARRANGED)
               .when(new CancelOrderCommand(ORDER_ID, "too late"))
               .expectNoEvents()
               .expectException(invalidTransition())
               .expectExceptionMessage("order " + ORDER_ID + " cannot cancel: its shipment is already arranged");
    }

    @Test
    void givenCompleted_whenCancelled_thenRejected() {
        fixture.given(twoBeansAndAMugAccepted(), STOCK_RESERVED, PAYMENT_AUTHORIZED, SHIPMENT_ARRANGED,
                        new OrderCompletedEvent(ORDER_ID))
               .when(new CancelOrderCommand(ORDER_ID, "too late"))
               .expectException(invalidTransition());
    }

    @Test
    void eventsCarryTheTraceIdAndCorrelationIdOfTheCommandThatCausedThem() {
        fixture.given(twoBeansAndAMugAccepted())
               .when(new CancelOrderCommand(ORDER_ID, "no longer needed"),
                       MetaData.with("traceId", "trace-123"))
               .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                       org.axonframework.test.matchers.Matchers.messageWithPayload(
                               instanceOf(OrderCancelledEvent.class)),
                       org.axonframework.test.matchers.Matchers.andNoMore()))
               .expectState(order -> assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED));
        List<EventMessage<?>> published = new java.util.ArrayList<>();
        fixture.getEventStore().readEvents(ORDER_ID.toString()).asStream().skip(1).forEach(published::add);
        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.getMetaData()).containsEntry("traceId", "trace-123");
            assertThat(event.getMetaData().get("correlationId")).isNotNull().isNotEqualTo("trace-123");
        });
    }

    @Test
    void cancellingNeedsAReason() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new CancelOrderCommand(ORDER_ID, " "));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new CancelOrderCommand(ORDER_ID, "x".repeat(501)));
    }

    private static org.hamcrest.Matcher<OrderRejectedException> invalidTransition() {
        return allOf(instanceOf(OrderRejectedException.class),
                hasProperty("message", org.hamcrest.Matchers.containsString("cannot")));
    }
}
