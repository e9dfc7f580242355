package io.orderflow.values;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RequiredTest {

    @Test
    void aPresentValueIsAnswered_andAMissingOneIsRefusedNamingTheField() {
        assertThat(Required.nonNull("orderId", "x")).isEqualTo("x");
        assertThat(violationOf(() -> Required.nonNull("orderId", null))).hasMessage("orderId must not be null");
    }

    @Test
    void textUpToTheLimitIsKeptExactlyAsGiven() {
        String text = "Zoë \uD83D\uDE80 \u05E2\u05D3\u05D4 <script>alert('x')</script>  ";
        assertThat(Required.text("name", text, 200)).isSameAs(text);
        assertThat(Required.text("name", "x".repeat(200), 200)).hasSize(200);
    }

    @Test
    void missingTextIsRefusedNamingTheField() {
        assertThat(textViolationOf(null)).satisfies(v -> {
            assertThat(v.field()).isEqualTo("street");
            assertThat(v.problem()).isEqualTo("must not be null");
            assertThat(v).hasMessage("street must not be null");
        });
    }

    @ParameterizedTest(name = "\"{0}\" is blank")
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankTextIsRefused(String text) {
        assertThat(textViolationOf(text).problem()).isEqualTo("must not be blank");
    }

    @Test
    void overlongTextIsRefusedSayingTheLimit() {
        assertThat(textViolationOf("x".repeat(201))).hasMessage("street must be at most 200 characters");
    }

    @ParameterizedTest(name = "NUL in \"{0}\"")
    @ValueSource(strings = {"\u0000", "a\u0000b", "ab\u0000"})
    void textWithTheNulCharacterIsRefused(String text) {
        assertThat(textViolationOf(text).problem()).isEqualTo("must not contain the NUL character");
    }

    private static ValueViolation textViolationOf(String text) {
        return violationOf(() -> Required.text("street", text, 200));
    }

    private static ValueViolation violationOf(ThrowingCallable call) {
        ValueViolation violation = catchThrowableOfType(ValueViolation.class, call);
        assertThat(violation).as("refused").isNotNull();
        return violation;
    }
}
