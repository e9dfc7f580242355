package io.orderflow.infra.contracts;

import jakarta.annotation.Nullable;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of contract change is caught, with a message that names the field and says what to do. */
class ContractCheckTest {

    /** The contract as first published. */
    static final class V1 {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note) {
        }
    }

    /** amount became text: a changed type. */
    static final class TypeChanged {
        @Revision("1")
        record PriceChanged(String sku, String amount, @Nullable String note) {
        }
    }

    /** note was dropped: a removed field. */
    static final class FieldRemoved {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount) {
        }
    }

    /** currency is new and required: old events do not have it. */
    static final class RequiredFieldAdded {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, String currency) {
        }
    }

    /** validFrom is new and optional: compatible. */
    static final class OptionalFieldAdded {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, @Nullable String validFrom) {
        }
    }

    /** The incompatible change done right: a new revision. */
    static final class V2 {
        @Revision("2")
        record PriceChanged(String sku, String amount, @Nullable String note) {
        }
    }

    static final class PriceChangedUpcaster extends SingleEventUpcaster {
        @Override
        protected boolean canUpcast(IntermediateEventRepresentation representation) {
            // In real life one class evolves; here V2 stands for the evolved class, stored at revision 1 before.
            return representation.getType().equals(new SimpleSerializedType(V2.PriceChanged.class.getName(), "1"));
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
            return representation;
        }
    }

    @TempDir
    Path contracts;

    @Test
    void aNewEventWithoutASchemaIsReported_andWritingItMakesTheCheckPass() {
        ContractCheck check = new ContractCheck(contracts, "order-aggregate", List.of());

        assertThat(check.verify(List.of(V1.PriceChanged.class), false)).singleElement().asString()
                .contains("no schema is committed for PriceChanged revision 1")
                .contains("./mvnw -pl order-aggregate test -Dcontracts.write=true");
        check.verify(List.of(V1.PriceChanged.class), true);

        assertThat(Files.exists(contracts.resolve("PriceChanged.v1.schema.json"))).isTrue();
        assertThat(check.verify(List.of(V1.PriceChanged.class), false)).isEmpty();
    }

    @Test
    void aChangedTypeIsIncompatible_andTheMessageSaysWhichFieldAndWhatToDo() {
        ContractCheck check = committed(V1.PriceChanged.class);

        assertThat(check.verify(List.of(TypeChanged.PriceChanged.class), false)).singleElement().asString()
                .contains("PriceChanged (revision 1) changed incompatibly: PriceChanged.amount: type number -> string")
                .contains("raise @Revision(\"2\")")
                .contains("add an upcaster from revision 1");
    }

    @Test
    void aRemovedFieldIsIncompatible() {
        assertThat(committed(V1.PriceChanged.class).verify(List.of(FieldRemoved.PriceChanged.class), false))
                .singleElement().asString().contains("PriceChanged.note: removed or renamed");
    }

    @Test
    void aNewlyRequiredFieldIsIncompatible() {
        assertThat(committed(V1.PriceChanged.class).verify(List.of(RequiredFieldAdded.PriceChanged.class), false))
                .singleElement().asString().contains("PriceChanged.currency: added as required");
    }

    @Test
    void aNewOptionalFieldIsCompatible_butTheCommittedSchemaMustFollow() {
        ContractCheck check = committed(V1.PriceChanged.class);

        assertThat(check.verify(List.of(OptionalFieldAdded.PriceChanged.class), false)).singleElement().asString()
                .contains("changed compatibly (PriceChanged.validFrom: added as optional)");
        check.verify(List.of(OptionalFieldAdded.PriceChanged.class), true);
        assertThat(check.verify(List.of(OptionalFieldAdded.PriceChanged.class), false)).isEmpty();
    }

    @Test
    void aRaisedRevisionNeedsItsSchemaAndAnUpcasterFromTheStoredRevision() {
        committed(V1.PriceChanged.class);
        new ContractCheck(contracts, "m", List.of()).verify(List.of(V2.PriceChanged.class), true);

        assertThat(new ContractCheck(contracts, "m", List.of()).verify(List.of(V2.PriceChanged.class), false))
                .singleElement().asString()
                .contains("PriceChanged is at revision 2 but no upcaster handles revision 1");
        assertThat(new ContractCheck(contracts, "m", List.of(new PriceChangedUpcaster()))
                .verify(List.of(V2.PriceChanged.class), false)).isEmpty();
    }

    private ContractCheck committed(Class<?> event) {
        ContractCheck check = new ContractCheck(contracts, "order-aggregate", List.of());
        check.verify(List.of(event), true);
        return check;
    }
}
