package dev.kindling.opportunities;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AmountsTest {

    @Test
    void plainAndThousandsGroupedAmountsAreRead() {
        assertThat(Amounts.parse("12500")).isEqualByComparingTo("12500");
        assertThat(Amounts.parse(" 12,500 ")).isEqualByComparingTo("12500");
        assertThat(Amounts.parse("12500.00")).isEqualTo(new BigDecimal("12500.00"));
        assertThat(Amounts.parse("1,250,000.50")).isEqualByComparingTo("1250000.5");
    }

    @Test
    void anythingElseIsNotAnAmount() {
        assertThat(Amounts.parse("12,50"))
                .as("a decimal comma is refused, not misread")
                .isNull();
        assertThat(Amounts.parse("1,2500")).isNull();
        assertThat(Amounts.parse("lots")).isNull();
        assertThat(Amounts.parse("-5")).isNull();
        assertThat(Amounts.parse("")).isNull();
        assertThat(Amounts.parse(null)).isNull();
    }
}
