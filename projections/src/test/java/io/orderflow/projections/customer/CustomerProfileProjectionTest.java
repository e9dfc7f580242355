package io.orderflow.projections.customer;

import io.orderflow.fixtures.Examples;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.projections.api.CustomerView;
import io.orderflow.projections.api.FindCustomerQuery;
import io.orderflow.projections.generation.ProjectionGenerations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The customer projection applies each profile version once and never goes back: redelivered or late events (at
 * or below the stored version) change nothing, which is what makes replays and at-least-once delivery safe.
 */
class CustomerProfileProjectionTest {

    private static final CustomerId ADA = Examples.ADA;
    private static final PostalAddress HOME = Examples.BERLIN;
    private static final PostalAddress OFFICE = Examples.PARIS;
    private static final PostalAddress BANK = Examples.ZURICH;
    private static final CustomerRegisteredEvent ADA_REGISTERED = Examples.adaRegistered();

    /** The table, as the repository would hold it; saves counts the writes the projection makes. */
    private final Map<CustomerProfileEntity.Key, CustomerProfileEntity> table = new HashMap<>();
    private final Generations generations = new Generations();
    private int saves;
    private CustomerProfileProjection projection;

    @BeforeEach
    void setUp() {
        projection = new CustomerProfileProjection(inMemoryRepository(), generations.mock(),
                org.mockito.Mockito.mock(io.orderflow.projections.generation.ChangeNotices.class));
    }

    /** The served and building generations, as the generations table would hold them; the test switches. */
    static final class Generations {
        int served;
        int building;

        ProjectionGenerations mock() {
            ProjectionGenerations mock = Mockito.mock(ProjectionGenerations.class);
            Mockito.when(mock.writing(Mockito.anyString())).thenAnswer(call -> building);
            Mockito.when(mock.serving(Mockito.anyString())).thenAnswer(call -> served);
            Mockito.doAnswer(call -> building = served + 1).when(mock).beginRebuild(Mockito.anyString());
            return mock;
        }
    }

    /** The few repository calls the projection makes, on a map; anything else fails the test loudly. */
    private CustomerProfileRepository inMemoryRepository() {
        return (CustomerProfileRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CustomerProfileRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "existsById" -> table.containsKey((CustomerProfileEntity.Key) args[0]);
                    case "findById" -> Optional.ofNullable(table.get((CustomerProfileEntity.Key) args[0]));
                    case "save" -> {
                        CustomerProfileEntity entity = (CustomerProfileEntity) args[0];
                        table.put(new CustomerProfileEntity.Key(generations.building, entity.toView().customerId()),
                                entity);
                        saves++;
                        yield entity;
                    }
                    case "deleteAllInBatch" -> {
                        table.clear();
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void givenNothing_whenRegistered_thenTheProfileIsReadableAtVersionZero() {
        projection.on(ADA_REGISTERED);

        assertThat(read()).contains(new CustomerView(ADA.value(), "Ada Lovelace", "ada@example.com", HOME, HOME, 0, null));
    }

    @Test
    void givenRegistered_whenAddressesChange_thenEachIsAppliedWithItsVersion() {
        projection.on(ADA_REGISTERED);

        projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1));
        projection.on(new AddressChangedEvent(ADA, AddressKind.BILLING, BANK, 2));

        CustomerView view = read().orElseThrow();
        assertThat(view.shippingAddress()).isEqualTo(OFFICE);
        assertThat(view.billingAddress()).isEqualTo(BANK);
        assertThat(view.version()).isEqualTo(2);
    }

    @Test
    void givenVersionTwo_whenAnOlderOrTheSameVersionArrivesAgain_thenNothingChanges() {
        projection.on(ADA_REGISTERED);
        projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1));
        projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, BANK, 2));
        CustomerView before = read().orElseThrow();
        int savesBefore = saves;

        projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1));
        projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, BANK, 2));
        projection.on(new AddressChangedEvent(ADA, AddressKind.BILLING, OFFICE, 2));
        projection.on(ADA_REGISTERED);

        assertThat(read()).contains(before);
        assertThat(saves).as("writes for redelivered events").isEqualTo(savesBefore);
    }

    @Test
    void givenNoRegistration_whenAnAddressChanges_thenTheProjectionSaysItMissedTheRegistration() {
        // One customer's events reach one segment in order, so this is a broken projection, not a late event.
        assertThatIllegalStateException()
                .isThrownBy(() -> projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1)))
                .withMessageContaining(ADA.toString());
    }

    @Test
    void givenProfiles_whenReset_thenReadsKeepTheOldDataUntilTheRebuildIsFinished() {
        projection.on(ADA_REGISTERED);
        projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1));

        projection.onReset();
        assertThat(read().orElseThrow().shippingAddress()).as("served while rebuilding").isEqualTo(OFFICE);

        projection.on(ADA_REGISTERED);
        assertThat(read().orElseThrow().version()).as("the replay is not visible before it is done").isEqualTo(1);
        projection.on(new AddressChangedEvent(ADA, AddressKind.SHIPPING, OFFICE, 1));
        generations.served = generations.building;
        assertThat(read().orElseThrow().shippingAddress()).isEqualTo(OFFICE);
        assertThat(read().orElseThrow().version()).isEqualTo(1);
        assertThat(table).containsKey(new CustomerProfileEntity.Key(1, ADA.value()));
    }

    @Test
    void givenNoSuchCustomer_whenQueried_thenEmpty() {
        assertThat(read()).isEmpty();
    }

    private Optional<CustomerView> read() {
        return projection.handle(new FindCustomerQuery(ADA));
    }
}
