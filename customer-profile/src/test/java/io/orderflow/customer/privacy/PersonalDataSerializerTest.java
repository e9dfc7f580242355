package io.orderflow.customer.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.customer.api.AddressChangedEvent;
import io.orderflow.customer.api.AddressKind;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.CustomerRegisteredEvent;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.values.PersonalData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.orderflow.fixtures.Examples.ADA;
import static io.orderflow.fixtures.Examples.ADA_EMAIL;
import static io.orderflow.fixtures.Examples.ADA_NAME;
import static io.orderflow.fixtures.Examples.BERLIN;
import static io.orderflow.fixtures.Examples.PARIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class PersonalDataSerializerTest {

    private final PersonalDataCipher cipher = new PersonalDataCipher(PersonalDataCipher.newMasterKey());
    private final Map<UUID, SecretKey> keyTable = new HashMap<>();
    private final CustomerDataKeys keys = mock(CustomerDataKeys.class);
    private final JacksonSerializer json = JacksonSerializer.builder().objectMapper(new ObjectMapper()
            .findAndRegisterModules()).build();
    private PersonalDataSerializer serializer;

    @BeforeEach
    void setUp() {
        when(keys.cipher()).thenReturn(cipher);
        when(keys.forWriting(any())).thenAnswer(call -> Optional.of(
                keyTable.computeIfAbsent(call.getArgument(0), id -> PersonalDataCipher.newKey())));
        when(keys.forReading(any())).thenAnswer(call -> Optional.ofNullable(keyTable.get(call.<UUID>getArgument(0))));
        serializer = new PersonalDataSerializer(json, keys);
    }

    @Test
    void aRegistrationIsWrittenWithItsNameEmailAndStreetsEncryptedAndReadBackWhole() {
        CustomerRegisteredEvent event = new CustomerRegisteredEvent(ADA, ADA_NAME, ADA_EMAIL, BERLIN, PARIS, 0);

        String written = text(serializer.serialize(event, byte[].class));

        assertThat(written).doesNotContain(ADA_NAME, ADA_EMAIL, BERLIN.street(), BERLIN.city(),
                BERLIN.postalCode(), PARIS.street(), PARIS.city(), PARIS.postalCode());
        assertThat(written).contains(ADA.toString(), "\"country\":\"DE\"", "\"country\":\"FR\"",
                PersonalDataCipher.PREFIX);
        assertThat((Object) serializer.deserialize(serializer.serialize(event, byte[].class))).isEqualTo(event);
    }

    @Test
    void onceTheKeyIsErasedTheFieldsReadAsErasedAndTheRestIsIntact() {
        AddressChangedEvent event = new AddressChangedEvent(ADA, AddressKind.SHIPPING, BERLIN, 4);
        SerializedObject<byte[]> written = serializer.serialize(event, byte[].class);

        keyTable.clear();

        assertThat((Object) serializer.deserialize(written)).isEqualTo(new AddressChangedEvent(ADA,
                AddressKind.SHIPPING, new PostalAddress(PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED,
                "DE"), 4));
    }

    @Test
    void anErasedCustomersDataIsWrittenErased() {
        when(keys.forWriting(any())).thenReturn(Optional.empty());

        String written = text(serializer.serialize(new AddressChangedEvent(ADA, AddressKind.BILLING, PARIS, 5),
                byte[].class));

        assertThat(written).doesNotContain(PARIS.street(), PersonalDataCipher.PREFIX).contains(PersonalData.ERASED);
    }

    @Test
    void textAClientGaveThatLooksEncryptedIsEncryptedLikeAnyOther() {
        CustomerRegisteredEvent event = new CustomerRegisteredEvent(ADA, PersonalDataCipher.PREFIX + "Ada", ADA_EMAIL,
                BERLIN, PARIS, 0);

        SerializedObject<byte[]> written = serializer.serialize(event, byte[].class);

        assertThat(text(written)).doesNotContain(PersonalDataCipher.PREFIX + "Ada");
        assertThat((Object) serializer.deserialize(written)).isEqualTo(event);
    }

    @Test
    void plainTextWrittenBeforeEncryptionIsReadAsItIs() {
        CustomerRegisteredEvent event = new CustomerRegisteredEvent(ADA, ADA_NAME, ADA_EMAIL, BERLIN, PARIS, 0);

        assertThat((Object) serializer.deserialize(json.serialize(event, byte[].class))).isEqualTo(event);
        verify(keys, never()).forReading(any());
    }

    @Test
    void aFieldOfOneCustomerDoesNotOpenAsAnothersEvenWithTheSameKey() {
        SecretKey key = PersonalDataCipher.newKey();
        String field = cipher.encrypt(ADA.value(), key, ADA_NAME);

        assertThat(cipher.decrypt(ADA.value(), key, field)).isEqualTo(ADA_NAME);
        assertThatThrownBy(() -> cipher.decrypt(UUID.randomUUID(), key, field))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not decrypt");
    }

    @Test
    void aDataKeyOpensOnlyWithTheMasterKeyItWasWrappedWith() {
        SecretKey key = PersonalDataCipher.newKey();
        byte[] wrapped = cipher.wrap(ADA.value(), key);

        assertThat(cipher.unwrap(ADA.value(), wrapped).getEncoded()).isEqualTo(key.getEncoded());
        PersonalDataCipher other = new PersonalDataCipher(PersonalDataCipher.newMasterKey());
        assertThatThrownBy(() -> other.unwrap(ADA.value(), wrapped)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ORDERFLOW_PERSONAL_DATA_MASTER_KEY");
    }

    @Test
    void aMasterKeyOfTheWrongSizeIsRefusedNamingWhatItMustBe() {
        assertThatThrownBy(() -> new PersonalDataCipher("c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new PersonalDataCipher("not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
    }

    @Test
    void typesWithoutPersonalDataAreWrittenExactlyAsTheWrappedSerializerWritesThem() {
        CustomerId other = CustomerId.of(UUID.randomUUID().toString());

        assertThat(text(serializer.serialize(other, byte[].class))).isEqualTo(text(json.serialize(other,
                byte[].class)));
        verify(keys, never()).forWriting(any());
    }

    /** A value with personal data that names no customer cannot be encrypted: found when its shape is. */
    record Orphan(@PersonalData String name) {
    }

    /** Addresses in a list would be written unencrypted: such a type is refused, not written in plain text. */
    record Addresses(CustomerId customerId, java.util.List<PostalAddress> addresses) {
    }

    @Test
    void aTypeWithPersonalDataInsideAListIsRefused() {
        assertThatThrownBy(() -> serializer.serialize(new Addresses(ADA, java.util.List.of(BERLIN)), byte[].class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a collection");
    }

    @Test
    void aTypeWithPersonalDataButNoCustomerIsRefused() {
        assertThatThrownBy(() -> serializer.serialize(new Orphan("Ada"), byte[].class))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one CustomerId field");
    }

    private static String text(SerializedObject<byte[]> serialized) {
        return new String(serialized.getData(), StandardCharsets.UTF_8);
    }
}
