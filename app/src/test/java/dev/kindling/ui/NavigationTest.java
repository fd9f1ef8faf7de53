package dev.kindling.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.platform.security.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class NavigationTest {

    @Test
    void everyPageHasItsOwnPath() {
        List<String> paths =
                Navigation.pages().stream().map(Navigation.Page::path).toList();

        assertThat(paths).doesNotHaveDuplicates().allMatch(p -> p.startsWith("/") && !p.endsWith("/"));
    }

    @Test
    void everyPageNotBuiltYetSaysWhatItWillDo() {
        assertThat(Navigation.pages())
                .filteredOn(p -> !p.built())
                .allSatisfy(p -> assertThat(p.summary()).isNotBlank());
    }

    @Test
    void aRequestBelongsToThePageWithTheLongestMatchingPath() {
        assertThat(Navigation.pageOf("/prospects/42"))
                .map(Navigation.Page::label)
                .contains("Prospects");
        assertThat(Navigation.pageOf("/reports/kpis"))
                .map(Navigation.Page::label)
                .contains("KPI dashboard");
        assertThat(Navigation.pageOf("/prospectsfoo")).isEmpty();
        assertThat(Navigation.pageOf("/")).isEmpty();
    }

    @Test
    void onlyAdminsSeeUsersAndTeams() {
        List<String> marketing = labels(Navigation.visibleTo(List.of(Role.MARKETING)));
        List<String> admin = labels(Navigation.visibleTo(List.of(Role.ADMIN)));

        assertThat(marketing).doesNotContain("Users & teams").contains("API keys", "Prospects");
        assertThat(admin).contains("Users & teams");
    }

    private static List<String> labels(List<Navigation.Section> sections) {
        return sections.stream()
                .flatMap(s -> s.pages().stream())
                .map(Navigation.Page::label)
                .toList();
    }
}
