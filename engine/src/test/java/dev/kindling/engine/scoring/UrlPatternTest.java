package dev.kindling.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UrlPatternTest {

    @Test
    void textWithoutWildcardMatchesUrlsContainingItIgnoringCase() {
        UrlPattern pricing = new UrlPattern("pricing");
        assertThat(pricing.matches("https://acme.example/Pricing/enterprise")).isTrue();
        assertThat(pricing.matches("https://acme.example/prices")).isFalse();
        assertThat(pricing.matches(null)).isFalse();
    }

    @Test
    void globMatchesTheWholeUrlWithStarForAnyCharacters() {
        UrlPattern glob = new UrlPattern("https://*.example/docs/*");
        assertThat(glob.matches("https://www.example/docs/intro")).isTrue();
        assertThat(glob.matches("https://www.example/docs/")).isTrue();
        assertThat(glob.matches("http://www.example/docs/intro")).isFalse();
        assertThat(glob.matches("https://www.example/blog/docs/")).isFalse();
        assertThat(new UrlPattern("*/pricing").matches("https://a.example/pricing"))
                .isTrue();
        assertThat(new UrlPattern("*/pricing").matches("https://a.example/pricing/x"))
                .isFalse();
        assertThat(new UrlPattern("ab*ba").matches("aba")).isFalse();
    }

    @Test
    void regularExpressionsSpacesEmptyAndOnlyWildcardsAreRefused() {
        assertThat(UrlPattern.problem("^https://(a|b)")).contains("not a regular expression");
        assertThat(UrlPattern.problem("a b")).contains("spaces");
        assertThat(UrlPattern.problem("")).contains("empty");
        assertThat(UrlPattern.problem("**")).contains("besides");
        assertThat(UrlPattern.problem("a*b*c*d*e*f*g*h*i*j")).contains("wildcards");
        assertThat(UrlPattern.problem("x".repeat(501))).contains("500");
        assertThat(UrlPattern.problem("/pricing*")).isNull();
        assertThatThrownBy(() -> new UrlPattern("(.*)")).isInstanceOf(IllegalArgumentException.class);
    }
}
