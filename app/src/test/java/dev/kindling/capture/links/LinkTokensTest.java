package dev.kindling.capture.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LinkTokensTest {

    final LinkTokens tokens = new LinkTokens(() -> "a secret of thirty-two bytes....".getBytes(StandardCharsets.UTF_8));

    @Test
    void aSignedTokenVerifiesToItsClaims() {
        assertThat(tokens.verify(tokens.sign(42, null))).contains(new LinkTokens.Claims(42, null));
        assertThat(tokens.verify(tokens.sign(42, 7L))).contains(new LinkTokens.Claims(42, 7L));
    }

    @Test
    void everySingleCharacterChangeIsRefused() {
        String token = tokens.sign(42, 7L);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < token.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String tampered = token.substring(0, i) + c + token.substring(i + 1);
                assertThat(tokens.verify(tampered)).as(tampered).isEmpty();
            }
        }
    }

    @Test
    void aTokenForAnotherLinkCannotBeMadeBySwappingPayloads() {
        String a = tokens.sign(1, null);
        String b = tokens.sign(2, null);
        String swapped = b.substring(0, b.indexOf('.')) + a.substring(a.indexOf('.'));
        assertThat(tokens.verify(swapped)).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        LinkTokens other = new LinkTokens(() -> "another secret, also 32 bytes...".getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(other.sign(42, null))).isEmpty();
    }

    @Test
    void garbageIsRefusedNotThrown() {
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("no-dot")).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
        assertThat(tokens.verify("!!!.???")).isEmpty();
        assertThat(tokens.verify("x".repeat(500))).isEmpty();
    }
}
