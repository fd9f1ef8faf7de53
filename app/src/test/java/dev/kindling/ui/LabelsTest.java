package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.engine.activity.ActivityType;
import dev.kindling.engine.lifecycle.LifecycleStage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.ResourceBundleMessageSource;

/** The labels read from the application's own message bundle, in English and Japanese. */
class LabelsTest {

    private final Labels labels = new Labels(bundle());

    static ResourceBundleMessageSource bundle() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return source;
    }

    @AfterEach
    void resetLocale() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void enumNamesReadAsWordsAndTheFunnelsAcronymsStay() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        assertThat(labels.of(LifecycleStage.DISQUALIFIED)).isEqualTo("Disqualified");
        assertThat(labels.of(ActivityType.EMAIL_CLICK)).isEqualTo("Email click");
        assertThat(labels.of("INSIDE_SALES")).isEqualTo("Inside sales");
        assertThat(labels.of("NO_DECISION")).isEqualTo("No decision");
        assertThat(labels.of("MQL")).isEqualTo("MQL");
        assertThat(labels.of("SQL")).isEqualTo("SQL");
        assertThat(labels.of("already Human")).isEqualTo("already Human");
        assertThat(labels.of(null)).isEmpty();
    }

    @Test
    void aJapaneseUserReadsStagesActivityTypesAndTheNavigationInJapanese() {
        LocaleContextHolder.setLocale(Locale.JAPANESE);
        assertThat(labels.of(LifecycleStage.CUSTOMER)).isEqualTo("顧客");
        assertThat(labels.of(ActivityType.EMAIL_CLICK)).isEqualTo("メールクリック");
        assertThat(labels.of("MQL")).isEqualTo("MQL");
        assertThat(labels.message("nav.campaigns", "Campaigns")).isEqualTo("キャンペーン");
        // a value without a Japanese word keeps its English label
        assertThat(labels.of("NO_DECISION")).isEqualTo("No decision");
    }

    @Test
    void outsideARequestTheLabelsAreEnglish() {
        assertThat(labels.of(LifecycleStage.CUSTOMER)).isEqualTo("Customer");
    }

    @Test
    void bothLanguagesNameEveryStageActivityTypeAndNavigationEntry() {
        Properties english = load("messages.properties");
        Properties japanese = load("messages_ja.properties");
        Stream.concat(Arrays.stream(LifecycleStage.values()), Arrays.stream(ActivityType.values()))
                .map(v -> "label." + ((Enum<?>) v).name())
                .forEach(key -> {
                    assertThat(english).containsKey(key);
                    assertThat(japanese).containsKey(key);
                });
        Navigation.SECTIONS.forEach(section -> {
            assertThat(english).containsKey(section.messageKey());
            assertThat(japanese).containsKey(section.messageKey());
            section.pages().forEach(page -> {
                assertThat(english.getProperty(page.messageKey())).isEqualTo(page.label());
                assertThat(japanese).containsKey(page.messageKey());
            });
        });
        assertThat(japanese.keySet()).isEqualTo(english.keySet());
    }

    private static Properties load(String name) {
        try (InputStream in = LabelsTest.class.getClassLoader().getResourceAsStream(name)) {
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
