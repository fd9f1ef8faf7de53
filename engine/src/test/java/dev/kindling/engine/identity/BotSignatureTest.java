package dev.kindling.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BotSignatureTest {

    @Test
    void recognisesCrawlersScannersAndScripts() {
        assertThat(BotSignature.isBot("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"))
                .isTrue();
        assertThat(BotSignature.isBot("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0 Safari/537.36"))
                .isTrue();
        assertThat(BotSignature.isBot("curl/8.4.0")).isTrue();
        assertThat(BotSignature.isBot("python-requests/2.31")).isTrue();
        assertThat(BotSignature.isBot("")).isTrue();
        assertThat(BotSignature.isBot(null)).isTrue();
    }

    @Test
    void letsRealBrowsersThrough() {
        assertThat(
                        BotSignature.isBot(
                                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"))
                .isFalse();
        assertThat(
                        BotSignature.isBot(
                                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1"))
                .isFalse();
    }

    @Test
    void freeMailDomainsAreKnownCaseInsensitively() {
        assertThat(FreeMailDomains.contains("Gmail.com")).isTrue();
        assertThat(FreeMailDomains.contains("yahoo.co.jp")).isTrue();
        assertThat(FreeMailDomains.contains("acme.co.jp")).isFalse();
        assertThat(FreeMailDomains.contains(null)).isFalse();
    }
}
