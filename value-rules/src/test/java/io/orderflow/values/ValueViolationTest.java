package io.orderflow.values;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValueViolationTest {

    @Test
    void aProblemSaidOfTheFieldIsMessagedAfterIt() {
        ValueViolation violation = new ValueViolation("quantity", "must be at least 1");

        assertThat(violation.field()).isEqualTo("quantity");
        assertThat(violation.problem()).isEqualTo("must be at least 1");
        assertThat(violation).hasMessage("quantity must be at least 1").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStatedProblemIsItsOwnMessage() {
        ValueViolation violation = ValueViolation.stated("lines", "an order needs at least one line");

        assertThat(violation.field()).isEqualTo("lines");
        assertThat(violation.problem()).isEqualTo("an order needs at least one line");
        assertThat(violation).hasMessage("an order needs at least one line");
    }
}
