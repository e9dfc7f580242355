package io.orderflow.customer;

import io.orderflow.customer.api.CustomerCommands.ChangeBillingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.ChangeShippingAddressCommand;
import io.orderflow.customer.api.CustomerCommands.RegisterCustomerCommand;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.PostalAddress;
import io.orderflow.values.ValueViolation;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static io.orderflow.customer.CustomerFixtures.ADA;
import static io.orderflow.customer.CustomerFixtures.ADA_EMAIL;
import static io.orderflow.customer.CustomerFixtures.ADA_NAME;
import static io.orderflow.customer.CustomerFixtures.HOME;
import static io.orderflow.customer.CustomerFixtures.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the customer-profile commands and values refuse before any aggregate sees them. Each refusal is a
 * {@link ValueViolation}, and the API names the field it names, so each test pins that field.
 */
class CustomerCommandsTest {

    @ParameterizedTest(name = "name \"{0}\" is refused")
    @ValueSource(strings = {"", " ", "\t\n", "Ada\u0000", "\u0000"})
    void givenABlankOrNulName_whenRegistered_thenRefused(String name) {
        assertThat(refusedField(() -> register(name, ADA_EMAIL))).isEqualTo("name");
    }

    @Test
    void givenANameOfMoreThan200Characters_whenRegistered_thenRefused_and200AreAccepted() {
        assertThatIllegalArgumentException().isThrownBy(() -> register("x".repeat(201), ADA_EMAIL))
                .withMessageContaining("200");
        assertThat(register("x".repeat(200), ADA_EMAIL).name()).hasSize(200);
        assertThat(register("A", ADA_EMAIL).name()).isEqualTo("A");
    }

    @Test
    void givenEmojiRightToLeftTextAndMarkup_whenRegistered_thenKeptLiterally() {
        String name = "Zoë \uD83D\uDE80 \u05E2\u05D3\u05D4 <script>alert('x')</script>";
        assertThat(register(name, ADA_EMAIL).name()).isEqualTo(name);
    }

    @ParameterizedTest(name = "e-mail \"{0}\" is refused")
    @ValueSource(strings = {"", "ada", "ada@", "@example.com", "ada@@example.com", "ada@exa@mple.com",
            "ada lovelace@example.com", "ada@example.com ", "ada@example", "ada@exam\tple.com",
            "ada\u0000@example.com", "ada@example.com\u0000", "ada\u0007@example.com"})
    void givenAnImplausibleEmail_whenRegistered_thenRefused(String email) {
        assertThat(refusedField(() -> register(ADA_NAME, email))).isEqualTo("email");
    }

    @Test
    void givenAnEmailOfMoreThan254Characters_whenRegistered_thenRefused_and254AreAccepted() {
        String domain = "@example.com";
        assertThatIllegalArgumentException()
                .isThrownBy(() -> register(ADA_NAME, "a".repeat(255 - domain.length()) + domain));
        assertThat(register(ADA_NAME, "a".repeat(254 - domain.length()) + domain).email()).hasSize(254);
    }

    @Test
    void givenMissingParts_whenRegistered_thenRefusedNamingThePart() {
        assertThat(refusedField(() -> register(null, ADA_EMAIL))).isEqualTo("name");
        assertThat(refusedField(() -> register(ADA_NAME, null))).isEqualTo("email");
        assertThat(refusedField(() -> new RegisterCustomerCommand(null, ADA_NAME, ADA_EMAIL, HOME, null)))
                .isEqualTo("customerId");
        assertThat(refusedField(() -> new RegisterCustomerCommand(ADA, ADA_NAME, ADA_EMAIL, null, HOME)))
                .isEqualTo("shippingAddress");
    }

    @Test
    void givenMissingParts_whenAnAddressIsChanged_thenRefusedNamingThePart() {
        assertThat(refusedField(() -> new ChangeShippingAddressCommand(null, HOME))).isEqualTo("customerId");
        assertThat(refusedField(() -> new ChangeShippingAddressCommand(ADA, null))).isEqualTo("address");
        assertThat(refusedField(() -> new ChangeBillingAddressCommand(null, HOME))).isEqualTo("customerId");
        assertThat(refusedField(() -> new ChangeBillingAddressCommand(ADA, null))).isEqualTo("address");
    }

    @ParameterizedTest(name = "country \"{0}\" is refused")
    @ValueSource(strings = {"", "XX", "ZZ", "de", "DEU", "276", " DE"})
    void givenACountryThatIsNotAnIsoAlpha2Code_thenRefused(String country) {
        assertThat(refusedField(() -> new PostalAddress("Hauptstrasse 1", "Berlin", "10115", country)))
                .isEqualTo("country");
    }

    @Test
    void givenABlankOverlongOrNulComponent_thenTheAddressIsRefusedNamingTheComponent() {
        assertThat(refusedField(() -> new PostalAddress(" ", "Berlin", "10115", "DE"))).isEqualTo("street");
        assertThat(refusedField(() -> new PostalAddress("Hauptstrasse 1", "x".repeat(201), "10115", "DE")))
                .isEqualTo("city");
        assertThat(refusedField(() -> new PostalAddress("Hauptstrasse 1", "Berlin", "101\u000015", "DE")))
                .isEqualTo("postalCode");
        assertThat(refusedField(() -> new PostalAddress("Hauptstrasse 1", "Berlin", "10115", null)))
                .isEqualTo("country");
        assertThat(refusedField(() -> new PostalAddress(null, "Berlin", "10115", "DE"))).isEqualTo("street");
        assertThat(new PostalAddress("x".repeat(200), "Berlin", "10115", "DE").street()).hasSize(200);
    }

    @Test
    void givenNoUuid_thenNoCustomerId() {
        assertThat(refusedField(() -> new CustomerId(null))).isEqualTo("customerId");
        UUID uuid = UUID.randomUUID();
        assertThat(new CustomerId(uuid)).hasToString(uuid.toString());
    }

    /** The field a ValueViolation names; fails unless the call throws one. */
    private static String refusedField(ThrowingCallable call) {
        ValueViolation violation = catchThrowableOfType(ValueViolation.class, call);
        assertThat(violation).as("refused with a ValueViolation").isNotNull();
        return violation.field();
    }
}
