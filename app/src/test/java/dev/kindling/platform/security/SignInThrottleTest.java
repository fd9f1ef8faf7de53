package dev.kindling.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    @Test
    void eachLockWithinADayIsTwiceAsLongAsTheLastUpToADay() {
        assertThat(SignInThrottle.lockFor(0)).isEqualTo(Duration.ofMinutes(15));
        assertThat(SignInThrottle.lockFor(1)).isEqualTo(Duration.ofMinutes(30));
        assertThat(SignInThrottle.lockFor(2)).isEqualTo(Duration.ofHours(1));
        assertThat(SignInThrottle.lockFor(6)).isEqualTo(Duration.ofHours(16));
        assertThat(SignInThrottle.lockFor(7)).isEqualTo(Duration.ofDays(1));
        assertThat(SignInThrottle.lockFor(1000)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void anIpv6ClientCountsByItsSlash64AndAnIpv4ClientByItsAddress() {
        assertThat(SignInThrottle.addressSubject("2001:db8:1:2:aaaa::1"))
                .isEqualTo(SignInThrottle.addressSubject("2001:db8:1:2:ffff:eeee:dddd:cccc"))
                .isNotEqualTo(SignInThrottle.addressSubject("2001:db8:1:3::1"));
        assertThat(SignInThrottle.addressSubject("192.0.2.1")).isNotEqualTo(SignInThrottle.addressSubject("192.0.2.2"));
        assertThat(SignInThrottle.accountSubject(" Ann@Example.COM "))
                .isEqualTo(SignInThrottle.accountSubject("ann@example.com"));
    }

    @Test
    void theMessageNamesTheMinutesLeftRoundedUp() {
        assertThat(new SignInLockedException(Duration.ofMinutes(15)).getMessage())
                .isEqualTo("Too many failed sign-in attempts; try again in 15 minutes");
        assertThat(new SignInLockedException(Duration.ofSeconds(61)).getMessage())
                .endsWith("in 2 minutes");
        assertThat(new SignInLockedException(Duration.ofSeconds(5)).getMessage())
                .endsWith("in 1 minute");
    }
}
