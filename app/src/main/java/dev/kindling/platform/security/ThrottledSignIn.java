package dev.kindling.platform.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The UI's password sign-in behind {@link SignInThrottle}: a locked account or address is refused before its
 * password is checked; every failure is counted, and the one that locks says so at once.
 */
class ThrottledSignIn implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final SignInThrottle throttle;

    ThrottledSignIn(AuthenticationProvider passwords, SignInThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String account = attempt.getName();
        String address = attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        throttle.locked(account, address).ifPresent(left -> {
            throw new SignInLockedException(left);
        });
        try {
            Authentication result = passwords.authenticate(attempt);
            throttle.succeeded(account);
            return result;
        } catch (AuthenticationException e) {
            throttle.failed(account, address).ifPresent(lock -> {
                throw new SignInLockedException(lock);
            });
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
