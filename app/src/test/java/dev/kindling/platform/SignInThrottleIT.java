package dev.kindling.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.platform.security.SignInThrottle;
import dev.kindling.support.IntegrationTest;
import dev.kindling.support.TestApi;
import dev.kindling.support.UiSession;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Sign-in throttling: five failures lock an account, twenty lock a client address, the sign-in page says for how
 * long, and a locked sign-in is refused even with the right password. Each test signs in from client addresses of
 * its own (127.x.y.z), so its locks touch no other test.
 */
@IntegrationTest
class SignInThrottleIT {

    private static final String PASSWORD = "long-enough-password";
    private static final String LOCKED = "Too many failed sign-in attempts; try again in 15 minutes";

    @LocalServerPort
    int port;

    @Autowired
    SignInThrottle throttle;

    TestApi admin;

    @BeforeEach
    void setUp() {
        admin = new TestApi(port);
    }

    private String user() {
        return admin.user("MARKETING", PASSWORD).email();
    }

    /** Signs in from {@code address}; answers the sign-in page it lands on. */
    private TestApi.Response signIn(String address, String email, String password) {
        UiSession browser = UiSession.anonymous(port, address);
        browser.signIn(email, password);
        return browser.get("/login?error");
    }

    private boolean signsIn(String address, String email, String password) {
        UiSession browser = UiSession.anonymous(port, address);
        String location = browser.signIn(email, password)
                .raw()
                .headers()
                .firstValue("Location")
                .orElseThrow();
        return !location.contains("error") && browser.get("/").status() == 200;
    }

    @Test
    void fiveFailedSignInsLockTheAccountAndThePageSaysForHowLong() {
        String email = user();
        String address = UiSession.ownLoopbackAddress();
        for (int i = 1; i <= 4; i++) {
            var page = signIn(address, email, "wrong-password-" + i);
            assertThat(page.body()).contains("Wrong email or password.").doesNotContain("Too many");
        }
        var fifth = signIn(address, email, "wrong-password-5");
        assertThat(fifth.body()).contains(LOCKED).doesNotContain("Wrong email or password.");

        assertThat(signsIn(address, email, PASSWORD))
                .as("the right password is refused while locked")
                .isFalse();
        assertThat(signIn(UiSession.ownLoopbackAddress(), email, PASSWORD).body())
                .as("the account is locked from every address")
                .contains(LOCKED);
        assertThat(signsIn(address, user(), PASSWORD))
                .as("other accounts from the same address sign in")
                .isTrue();
    }

    @Test
    void twentyFailuresFromOneAddressLockThatAddressForEveryAccount() {
        String address = UiSession.ownLoopbackAddress();
        for (int i = 1; i <= 19; i++) {
            assertThat(signIn(address, "nobody-" + i + "-" + UUID.randomUUID() + "@kindling.example", "guess")
                            .body())
                    .contains("Wrong email or password.");
        }
        assertThat(signIn(address, "nobody-20-" + UUID.randomUUID() + "@kindling.example", "guess")
                        .body())
                .contains(LOCKED);

        String email = user();
        assertThat(signsIn(address, email, PASSWORD))
                .as("a real account from the locked address")
                .isFalse();
        assertThat(signIn(address, email, PASSWORD).body()).contains(LOCKED);
        assertThat(signsIn(UiSession.ownLoopbackAddress(), email, PASSWORD))
                .as("the same account elsewhere")
                .isTrue();
    }

    @Test
    void aSuccessfulSignInStartsTheAccountsCountAfresh() {
        String email = user();
        String address = UiSession.ownLoopbackAddress();
        for (int i = 1; i <= 4; i++) {
            signIn(address, email, "wrong-password-" + i);
        }
        assertThat(signsIn(address, email, PASSWORD)).isTrue();
        for (int i = 1; i <= 4; i++) {
            assertThat(signIn(address, email, "wrong-again-" + i).body()).doesNotContain("Too many");
        }
        assertThat(signsIn(address, email, PASSWORD)).isTrue();
    }

    @Test
    void anAccountLockedAgainWithinADayIsLockedTwiceAsLong() {
        String account = "relocked-" + UUID.randomUUID() + "@kindling.example";
        String address = UiSession.ownLoopbackAddress();
        for (int i = 1; i < 5; i++) {
            assertThat(throttle.failed(account, address)).isEmpty();
        }
        assertThat(throttle.failed(account, address)).contains(Duration.ofMinutes(15));
        assertThat(throttle.locked(account, "203.0.113.9"))
                .hasValueSatisfying(left -> assertThat(left)
                        .isGreaterThan(Duration.ofMinutes(14))
                        .isLessThanOrEqualTo(Duration.ofMinutes(15)));
        for (int i = 1; i < 5; i++) {
            throttle.failed(account, address);
        }
        assertThat(throttle.failed(account, address)).contains(Duration.ofMinutes(30));
        assertThat(throttle.locked(account.toUpperCase(), "203.0.113.9"))
                .as("emails count whatever their case")
                .hasValueSatisfying(left -> assertThat(left).isGreaterThan(Duration.ofMinutes(29)));
    }
}
