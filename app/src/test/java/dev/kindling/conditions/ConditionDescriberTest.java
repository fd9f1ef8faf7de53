package dev.kindling.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.ResourceBundleMessageSource;
import tools.jackson.databind.json.JsonMapper;

/** Conditions in words, from the application's own message bundle, in English and Japanese. */
public class ConditionDescriberTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final ConditionDescriber describer = describer();

    /** The describer over the application's message bundle, as pages and other tests use it. */
    public static ConditionDescriber describer() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return new ConditionDescriber(source);
    }

    private String words(String condition) {
        return describer.describe(
                ConditionJson.parse(json.readTree(condition.replace('\'', '"')), RandomConditions.CUSTOM_FIELDS, ""));
    }

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void aScoreAndPageVisitsConditionReadsAsASentence() {
        assertThat(words("{'all':[{'score':{'gte':50}},"
                        + "{'activity':{'type':'PAGE_VIEW','urlContains':'/pricing','atLeast':2,'withinDays':30}}]}"))
                .isEqualTo("Score ≥ 50 and visited a page with a URL containing “/pricing” at least 2 times in the last"
                        + " 30 days");
    }

    @Test
    void everyKindOfConditionHasItsWordsAndNestedGroupsTheirParentheses() {
        assertThat(words("{'any':[{'field':'industry','op':'in','value':['Software','Finance']},"
                        + "{'all':[{'grade':{'between':['C','A']}},{'not':{'stage':{'in':['DISQUALIFIED']}}}]}]}"))
                .isEqualTo("industry is “Software” or “Finance” or (Grade between C and A and not (Stage is"
                        + " Disqualified))");
        assertThat(words("{'field':'employees','op':'between','value':[10,200]}"))
                .isEqualTo("employees between 10 and 200");
        assertThat(words("{'field':'company','op':'isEmpty'}")).isEqualTo("company is empty");
        assertThat(words("{'owner':{'assigned':false}}")).isEqualTo("has no owner");
        assertThat(words("{'list':{'memberOf':12}}")).isEqualTo("member of list 12");
        assertThat(words("{'noActivity':{'type':'EMAIL_OPEN','withinDays':90}}"))
                .isEqualTo("did not: opened an email in the last 90 days");
        assertThat(words("{'daysSinceLastActivity':{'gte':90}}")).isEqualTo("days since last activity ≥ 90");
        assertThat(words("{'opportunity':{'status':['LOST'],'closedWithinDays':90,'lostReason':['PRICE']}}"))
                .isEqualTo("has an opportunity Lost closed in the last 90 days lost for Price");
        assertThat(words("{'all':[]}")).isEqualTo("always");
    }

    @Test
    void valuesStayAsTheyWereTypedInsideQuotes() {
        assertThat(words("{'activity':{'type':'PAGE_VIEW','urlContains':'x\\u201d><script>{0}</script>'}}"))
                .isEqualTo("visited a page with a URL containing “x”><script>{0}</script>”");
    }

    @Test
    void aJapaneseUserReadsTheConditionInJapanese() {
        LocaleContextHolder.setLocale(Locale.JAPANESE);
        assertThat(words(
                        "{'all':[{'score':{'gte':50}},{'activity':{'type':'PAGE_VIEW','atLeast':2,'withinDays':30}}]}"))
                .isEqualTo("スコア ≥ 50 かつ ページを閲覧 (2 回以上) (過去 30 日間)");
        assertThat(words("{'stage':{'in':['MQL']}}")).isEqualTo("ステージが MQL");
    }
}
