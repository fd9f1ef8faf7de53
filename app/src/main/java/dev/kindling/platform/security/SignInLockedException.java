package dev.kindling.platform.security;

import java.time.Duration;
import org.springframework.security.authentication.LockedException;

/** A sign-in refused because its account or address is locked ({@link SignInThrottle}); the message is for people. */
public class SignInLockedException extends LockedException {

    public SignInLockedException(Duration left) {
        super(message(left));
    }

    static String message(Duration left) {
        long minutes = Math.max(1, (left.toSeconds() + 59) / 60);
        return "Too many failed sign-in attempts; try again in " + minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
