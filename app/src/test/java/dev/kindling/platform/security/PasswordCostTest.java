package dev.kindling.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

class PasswordCostTest {

    private final SecurityConfiguration configuration = new SecurityConfiguration();

    @Test
    void passwordsAreHashedWithBCryptAtTheConfiguredCost() {
        PasswordEncoder tens = configuration.passwordEncoder(10);
        String hash = tens.encode("correct horse");

        assertThat(hash).startsWith("{bcrypt}$2a$10$");
        assertThat(tens.matches("correct horse", hash)).isTrue();
        assertThat(tens.matches("correct horse!", hash)).isFalse();
        assertThat(configuration.passwordEncoder(4).encode("x")).startsWith("{bcrypt}$2a$04$");
    }

    @Test
    void aHashKeepsMatchingAfterTheCostChanges() {
        String setAtTen = configuration.passwordEncoder(10).encode("correct horse");
        String setAtFour = configuration.passwordEncoder(4).encode("correct horse");

        assertThat(configuration.passwordEncoder(4).matches("correct horse", setAtTen))
                .isTrue();
        assertThat(configuration.passwordEncoder(12).matches("correct horse", setAtFour))
                .isTrue();
    }

    @Test
    void aCostOutsideBCryptsRangeStopsTheStart() {
        assertThatThrownBy(() -> configuration.passwordEncoder(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kindling.security.password-cost must be from 4 to 31");
        assertThatThrownBy(() -> configuration.passwordEncoder(32)).isInstanceOf(IllegalArgumentException.class);
    }
}
