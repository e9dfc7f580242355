package io.orderflow.contractcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderflow.contractcheck.Finding.Kind;
import jakarta.annotation.Nullable;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of contract change is caught, with a message that names the event, the field and what changed, and
 * says what to do. The fixtures are one event, {@code PriceChanged}, in the shapes a developer might give it; each
 * holder class stands for the same event class at another moment of its life.
 */
class ContractCheckTest {

    record Tier(int quantity, BigDecimal price) {
    }

    record DecimalTier(BigDecimal quantity, BigDecimal price) {
    }

    enum Reason { PROMOTION, COST }

    enum ReasonWithCorrection { PROMOTION, COST, CORRECTION }

    /** The contract as first published. */
    static final class Published {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, List<Tier> tiers, Reason reason) {
        }
    }

    static final class AmountAsText {
        @Revision("1")
        record PriceChanged(String sku, String amount, @Nullable String note, List<Tier> tiers, Reason reason) {
        }
    }

    static final class NoteRemoved {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, List<Tier> tiers, Reason reason) {
        }
    }

    static final class SkuRenamed {
        @Revision("1")
        record PriceChanged(String article, BigDecimal amount, @Nullable String note, List<Tier> tiers,
                            Reason reason) {
        }
    }

    static final class CurrencyAdded {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, List<Tier> tiers, Reason reason,
                            String currency) {
        }
    }

    static final class NoteRequired {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, String note, List<Tier> tiers, Reason reason) {
        }
    }

    static final class ReasonExtended {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, List<Tier> tiers,
                            ReasonWithCorrection reason) {
        }
    }

    static final class TierQuantityDecimal {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, List<DecimalTier> tiers,
                            Reason reason) {
        }
    }

    static final class ValidFromAdded {
        @Revision("1")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, List<Tier> tiers, Reason reason,
                            @Nullable Instant validFrom) {
        }
    }

    /** The incompatible change done right: revision 2 requires a currency. */
    static final class Revision2 {
        @Revision("2")
        record PriceChanged(String sku, BigDecimal amount, @Nullable String note, List<Tier> tiers, Reason reason,
                            String currency) {
        }
    }

    static final class WithoutRevision {
        record PriceChanged(String sku) {
        }
    }

    static final class WithOptional {
        @Revision("1")
        record PriceChanged(String sku, Optional<String> note) {
        }
    }

    static final class ElsewhereNamedAlike {
        @Revision("1")
        record PriceChanged(String sku) {
        }
    }

    /** Takes revision 1 of {@link Revision2.PriceChanged} to revision 2, doing {@code change} to the payload. */
    static final class FromRevision1 extends SingleEventUpcaster {

        private static final SimpleSerializedType REVISION_1 =
                new SimpleSerializedType(Revision2.PriceChanged.class.getName(), "1");
        private final UnaryOperator<ObjectNode> change;

        FromRevision1(UnaryOperator<ObjectNode> change) {
            this.change = change;
        }

        @Override
        protected boolean canUpcast(IntermediateEventRepresentation representation) {
            return representation.getType().equals(REVISION_1);
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
            return representation.upcastPayload(new SimpleSerializedType(REVISION_1.getName(), "2"), JsonNode.class,
                    payload -> change.apply(((ObjectNode) payload).deepCopy()));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workspace;
    Path contracts;
    ContractCheck check;

    @BeforeEach
    void aModuleWithItsContractsDirectory() throws IOException {
        contracts = Files.createDirectories(workspace.resolve("order-aggregate/src/main/resources/contracts"));
        check = new ContractCheck(contracts).withWrite(false).withUpcasters(List.of());
    }

    @Test
    void givenNoCommittedSchema_thenTheCheckSaysWhichFileToWriteAndHow() {
        assertThat(check.verify(List.of(Published.PriceChanged.class))).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.MISSING_SCHEMA);
            assertThat(finding.event()).isEqualTo("PriceChanged");
            assertThat(finding.message()).isEqualTo("PriceChanged revision 1 has no committed contract. Run "
                    + "./mvnw -pl order-aggregate -am test -Dcontracts.write=true to write "
                    + "contracts/PriceChanged.v1.schema.json, review it and commit it.");
        });
    }

    @Test
    void givenNoCommittedSchema_whenWriting_thenItIsWrittenAndTheCheckPasses() throws IOException {
        assertThat(check.withWrite(true).verify(List.of(Published.PriceChanged.class))).isEmpty();

        Path written = contracts.resolve("PriceChanged.v1.schema.json");
        assertThat(JSON.readTree(written.toFile())).isEqualTo(EventSchemas.schemaFor(Published.PriceChanged.class));
        assertThat(Files.readString(written)).startsWith("{\n  \"$schema\" : ").endsWith("}\n");
        assertThat(check.verify(List.of(Published.PriceChanged.class))).isEmpty();
    }

    @Test
    void aChangedType_isIncompatible_andTheMessageSaysWhichFieldWhatChangedAndWhatToDo() throws IOException {
        committed(Published.PriceChanged.class, AmountAsText.PriceChanged.class);

        assertThat(check.verify(List.of(AmountAsText.PriceChanged.class))).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.INCOMPATIBLE_CHANGE);
            assertThat(finding.message()).isEqualTo("""
                    PriceChanged changed incompatibly within revision 1 \
                    (committed as contracts/PriceChanged.v1.schema.json):
                      - PriceChanged.amount: type number -> string
                    Revision-1 events are already stored and on Kafka, and consumers rely on this contract. \
                    Either keep the field compatible, or raise @Revision to 2 on %s, \
                    commit contracts/PriceChanged.v2.schema.json \
                    (run ./mvnw -pl order-aggregate -am test -Dcontracts.write=true to write it) \
                    and add an upcaster from revision 1.""".formatted(AmountAsText.PriceChanged.class.getName()));
        });
    }

    @Test
    void aRemovedField_isIncompatible() throws IOException {
        committed(Published.PriceChanged.class, NoteRemoved.PriceChanged.class);

        assertThat(onlyIncompatibility(NoteRemoved.PriceChanged.class))
                .contains("\n  - PriceChanged.note: removed or renamed\n");
    }

    @Test
    void aRenamedField_isARemovedAndANewRequiredOne() throws IOException {
        committed(Published.PriceChanged.class, SkuRenamed.PriceChanged.class);

        assertThat(onlyIncompatibility(SkuRenamed.PriceChanged.class))
                .contains("\n  - PriceChanged.sku: removed or renamed\n")
                .contains("\n  - PriceChanged.article: added as required (events already stored do not have it)\n")
                .contains("Either keep the fields compatible, or raise @Revision to 2");
    }

    @Test
    void aNewRequiredField_isIncompatible() throws IOException {
        committed(Published.PriceChanged.class, CurrencyAdded.PriceChanged.class);

        assertThat(onlyIncompatibility(CurrencyAdded.PriceChanged.class))
                .contains("PriceChanged.currency: added as required (events already stored do not have it)");
    }

    @Test
    void anOptionalFieldMadeRequired_isIncompatible() throws IOException {
        committed(Published.PriceChanged.class, NoteRequired.PriceChanged.class);

        assertThat(onlyIncompatibility(NoteRequired.PriceChanged.class))
                .contains("\n  - PriceChanged.note: newly required\n");
    }

    @Test
    void aRequiredFieldMadeOptional_isIncompatible_becauseConsumersWouldMeetNull() throws IOException {
        committed(NoteRequired.PriceChanged.class, Published.PriceChanged.class);

        assertThat(onlyIncompatibility(Published.PriceChanged.class))
                .contains("\n  - PriceChanged.note: no longer required (may now be null)\n");
    }

    @Test
    void aNewEnumValue_isIncompatible_becauseAnOldConsumerCannotReadIt() throws IOException {
        committed(Published.PriceChanged.class, ReasonExtended.PriceChanged.class);

        assertThat(onlyIncompatibility(ReasonExtended.PriceChanged.class)).contains(
                "PriceChanged.reason: allowed values [PROMOTION, COST] -> [PROMOTION, COST, CORRECTION]");
    }

    @Test
    void aChangeInsideANestedListElement_isNamedByItsPath() throws IOException {
        committed(Published.PriceChanged.class, TierQuantityDecimal.PriceChanged.class);

        assertThat(onlyIncompatibility(TierQuantityDecimal.PriceChanged.class))
                .contains("\n  - PriceChanged.tiers[].quantity: type integer -> number\n");
    }

    @Test
    void anIncompatibleChange_isNeverWritten() throws IOException {
        Path file = committed(Published.PriceChanged.class, AmountAsText.PriceChanged.class);
        String before = Files.readString(file);

        assertThat(check.withWrite(true).verify(List.of(AmountAsText.PriceChanged.class)))
                .extracting(Finding::kind).containsExactly(Kind.INCOMPATIBLE_CHANGE);
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aNewOptionalField_isCompatible_butTheCommittedSchemaMustBeRewritten() throws IOException {
        committed(Published.PriceChanged.class, ValidFromAdded.PriceChanged.class);

        assertThat(check.verify(List.of(ValidFromAdded.PriceChanged.class))).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.SCHEMA_OUT_OF_DATE);
            assertThat(finding.message()).isEqualTo("""
                    PriceChanged gained optional fields within revision 1:
                      - PriceChanged.validFrom: added as optional
                    That is compatible (old events lack them, consumers ignore fields they do not know), but the \
                    committed contract must say what is sent: run \
                    ./mvnw -pl order-aggregate -am test -Dcontracts.write=true and commit the rewritten \
                    contracts/PriceChanged.v1.schema.json.""");
        });

        assertThat(check.withWrite(true).verify(List.of(ValidFromAdded.PriceChanged.class))).isEmpty();
        assertThat(check.verify(List.of(ValidFromAdded.PriceChanged.class))).isEmpty();
    }

    @Test
    void aRaisedRevision_needsItsSchemaAndAnUpcasterFromTheCommittedOne() throws IOException {
        committed(Published.PriceChanged.class, Revision2.PriceChanged.class);

        List<Finding> findings = check.verify(List.of(Revision2.PriceChanged.class));

        assertThat(findings).extracting(Finding::kind).containsExactly(Kind.MISSING_SCHEMA, Kind.MISSING_UPCASTER);
        assertThat(findings.get(0).message()).isEqualTo("PriceChanged was raised to revision 2, but "
                + "contracts/PriceChanged.v2.schema.json is not committed. Run ./mvnw -pl order-aggregate -am test "
                + "-Dcontracts.write=true to write it, commit it, and make sure an upcaster takes revision 1 to "
                + "revision 2.");
    }

    @Test
    void aRaisedRevisionWithItsSchema_butNoUpcaster_failsNamingTheStoredRevision() throws IOException {
        committed(Published.PriceChanged.class, Revision2.PriceChanged.class);
        committed(Revision2.PriceChanged.class, Revision2.PriceChanged.class);

        assertThat(check.verify(List.of(Revision2.PriceChanged.class))).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.MISSING_UPCASTER);
            assertThat(finding.message()).isEqualTo("PriceChanged is at revision 2, but no upcaster takes revision 1"
                    + " to it. Revision 1 is committed (contracts/PriceChanged.v1.schema.json), so its events are "
                    + "stored and on Kafka. Add an upcaster from revision 1 (an Axon SingleEventUpcaster for "
                    + Revision2.PriceChanged.class.getName() + ", in io.orderflow.contractcheck) with a test.");
        });
    }

    @Test
    void aRaisedRevisionWithItsSchemaAndAnUpcaster_passes() throws IOException {
        committed(Published.PriceChanged.class, Revision2.PriceChanged.class);
        committed(Revision2.PriceChanged.class, Revision2.PriceChanged.class);
        EventUpcaster addsCurrency = new FromRevision1(payload -> payload.put("currency", "EUR"));

        assertThat(check.withUpcasters(List.of(addsCurrency)).verify(List.of(Revision2.PriceChanged.class)))
                .isEmpty();
    }

    @Test
    void anUpcasterThatLeavesARequiredFieldOut_isCaughtOnASampleOfTheOldRevision() throws IOException {
        committed(Published.PriceChanged.class, Revision2.PriceChanged.class);
        committed(Revision2.PriceChanged.class, Revision2.PriceChanged.class);
        EventUpcaster forgetsCurrency = new FromRevision1(payload -> payload);

        assertThat(check.withUpcasters(List.of(forgetsCurrency)).verify(List.of(Revision2.PriceChanged.class)))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.kind()).isEqualTo(Kind.INVALID_UPCAST);
                    assertThat(finding.message()).isEqualTo("""
                            The upcasters turn a revision-1 PriceChanged into revision 2, but the result breaks \
                            revision 2's contract:
                              - PriceChanged.currency: required, but missing
                            Make the upcaster fill every field that revision 2 requires, with the type it has \
                            there.""");
                });
    }

    @Test
    void anUpcasterThatFails_isReported() throws IOException {
        committed(Published.PriceChanged.class, Revision2.PriceChanged.class);
        committed(Revision2.PriceChanged.class, Revision2.PriceChanged.class);
        EventUpcaster failing = new FromRevision1(payload -> {
            throw new IllegalStateException("no currency for " + payload.get("sku"));
        });

        assertThat(check.withUpcasters(List.of(failing)).verify(List.of(Revision2.PriceChanged.class)))
                .singleElement().satisfies(finding -> {
                    assertThat(finding.kind()).isEqualTo(Kind.UPCASTER_FAILED);
                    assertThat(finding.message()).startsWith("Upcasting a sample revision-1 PriceChanged (made from "
                            + "contracts/PriceChanged.v1.schema.json) failed: ")
                            .contains("no currency for \"sample\"");
                });
    }

    @Test
    void aLoweredRevision_isRefused() throws IOException {
        committed(Published.PriceChanged.class, Published.PriceChanged.class);
        committed(Revision2.PriceChanged.class, Published.PriceChanged.class);

        assertThat(check.verify(List.of(Published.PriceChanged.class))).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.REVISION_LOWERED);
            assertThat(finding.message()).startsWith("PriceChanged is at revision 1, but "
                    + "contracts/PriceChanged.v2.schema.json is committed. A revision never goes back");
        });
    }

    @Test
    void aMovedEventClass_isReported_becauseStoredEventsNameTheOldType() throws IOException {
        Path file = committed(Published.PriceChanged.class, Published.PriceChanged.class);
        ObjectNode schema = (ObjectNode) JSON.readTree(file.toFile());
        Files.writeString(file, schema.put("x-event-type", "io.orderflow.pricing.api.PriceChanged").toString());

        assertThat(check.verify(List.of(Published.PriceChanged.class))).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.TYPE_RENAMED);
            assertThat(finding.message()).startsWith("PriceChanged revision 1 is committed as type "
                    + "io.orderflow.pricing.api.PriceChanged, but the class is now "
                    + Published.PriceChanged.class.getName() + ".");
        });
    }

    @Test
    void aSchemaWithoutItsEvent_isReported() throws IOException {
        committed(Published.PriceChanged.class, Published.PriceChanged.class);

        assertThat(check.verify(List.of())).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.ORPHANED_CONTRACT);
            assertThat(finding.message()).startsWith("contracts/PriceChanged.v1.schema.json is committed, but there "
                    + "is no event class PriceChanged any more.");
        });
    }

    @Test
    void anEventWithoutRevision_isReported() {
        assertThat(check.verify(List.of(WithoutRevision.PriceChanged.class))).singleElement()
                .satisfies(finding -> {
                    assertThat(finding.kind()).isEqualTo(Kind.MISSING_REVISION);
                    assertThat(finding.message()).contains("has no @Revision")
                            .contains("annotate it @Revision(\"1\")");
                });
    }

    @Test
    void aTypeTheGeneratorCannotDescribe_isReportedWithItsPath() {
        assertThat(check.verify(List.of(WithOptional.PriceChanged.class))).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(Kind.UNSUPPORTED_TYPE);
            assertThat(finding.message()).startsWith("PriceChanged cannot be described as a contract: "
                    + "PriceChanged.note: java.util.Optional<java.lang.String> is not a type");
        });
    }

    @Test
    void twoEventsWithOneName_areReported_becauseTheirFilesWouldCollide() {
        assertThat(check.verify(List.of(Published.PriceChanged.class, ElsewhereNamedAlike.PriceChanged.class)))
                .extracting(Finding::kind).containsExactly(Kind.DUPLICATE_NAME);
    }

    @Test
    void theReportCountsTheFindingsAndShowsEachWithItsKind() {
        List<Finding> findings = check.verify(List.of(Published.PriceChanged.class));

        assertThat(ContractCheck.report(findings)).isEqualTo("1 problem with the event contracts (ADR 0005, "
                + "docs/adr/0005-event-contracts-and-evolution.md):\n\n[MISSING_SCHEMA] " + findings.get(0).message());
    }

    @Test
    void outsideAModuleLayout_theInstructionsSayModule() throws IOException {
        Path elsewhere = Files.createDirectories(workspace.resolve("schemas"));

        assertThat(new ContractCheck(elsewhere).withWrite(false).verify(List.of(Published.PriceChanged.class)))
                .singleElement().asString().contains("./mvnw -pl <module> -am test -Dcontracts.write=true");
    }

    /** Commits the schema that {@code shape} gives, as the contract of {@code event} at {@code shape}'s revision. */
    private Path committed(Class<?> shape, Class<?> event) throws IOException {
        ObjectNode schema = EventSchemas.schemaFor(shape);
        schema.put("x-event-type", event.getName());
        Path file = contracts.resolve(CommittedContract.fileName(event.getSimpleName(),
                EventSchemas.revisionOf(shape)));
        Files.writeString(file, schema.toPrettyString());
        return file;
    }

    private String onlyIncompatibility(Class<?> event) {
        List<Finding> findings = check.verify(List.of(event));
        assertThat(findings).extracting(Finding::kind).containsExactly(Kind.INCOMPATIBLE_CHANGE);
        return findings.get(0).message();
    }
}
