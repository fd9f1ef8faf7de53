package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.campaigns.Campaign.Channel;
import dev.kindling.engine.condition.ProspectFacts.OpportunityType;
import dev.kindling.opportunities.ContactRole;
import dev.kindling.platform.web.FieldError;
import dev.kindling.platform.web.InvalidInputException;
import dev.kindling.salesforce.SalesforceSettings.Auth;
import dev.kindling.salesforce.SalesforceSettings.Connection;
import dev.kindling.salesforce.SalesforceSettings.Source;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How Salesforce's picklist values become Kindling's, and how a connection form is checked. */
class SalesforceMappingsTest {

    @Test
    void contactRolePicklistValuesMapToKindlingsRolesAndAnythingElseIsOther() {
        assertThat(ContactRoleSync.role("Decision Maker")).isEqualTo(ContactRole.DECISION_MAKER);
        assertThat(ContactRoleSync.role("Economic Buyer")).isEqualTo(ContactRole.ECONOMIC_BUYER);
        assertThat(ContactRoleSync.role(" evaluator ")).isEqualTo(ContactRole.EVALUATOR);
        assertThat(ContactRoleSync.role("Influencer")).isEqualTo(ContactRole.INFLUENCER);
        assertThat(ContactRoleSync.role("Technical Buyer")).isEqualTo(ContactRole.OTHER);
        assertThat(ContactRoleSync.role(null)).isEqualTo(ContactRole.OTHER);
    }

    @Test
    void campaignTypesMapToChannels() {
        assertThat(CampaignSync.channel("Webinar")).isEqualTo(Channel.WEBINAR);
        assertThat(CampaignSync.channel("Email")).isEqualTo(Channel.EMAIL);
        assertThat(CampaignSync.channel("Trade Show")).isEqualTo(Channel.EVENT);
        assertThat(CampaignSync.channel("Conference")).isEqualTo(Channel.EVENT);
        assertThat(CampaignSync.channel("Banner Ads")).isEqualTo(Channel.ADS);
        assertThat(CampaignSync.channel("Advertisement")).isEqualTo(Channel.ADS);
        assertThat(CampaignSync.channel("Website")).isEqualTo(Channel.WEB);
        assertThat(CampaignSync.channel("Direct Mail")).isEqualTo(Channel.OTHER);
        assertThat(CampaignSync.channel(null)).isEqualTo(Channel.OTHER);
    }

    @Test
    void opportunityTypesMapToNewOrExistingBusiness() {
        assertThat(OpportunitySync.type("New Customer")).isEqualTo(OpportunityType.NEW_BUSINESS);
        assertThat(OpportunitySync.type("New Business")).isEqualTo(OpportunityType.NEW_BUSINESS);
        assertThat(OpportunitySync.type("Existing Customer - Upgrade")).isEqualTo(OpportunityType.EXISTING_BUSINESS);
        assertThat(OpportunitySync.type("Partner")).isNull();
        assertThat(OpportunitySync.type(null)).isNull();
    }

    @Test
    void aConnectionFormWithDefaultsNeedsOnlyTheConsumerKeyAndSecret() {
        Connection c = SalesforceSetup.validated(Map.of("clientId", "key", "clientSecret", "secret"), null);
        assertThat(c.loginUrl()).isEqualTo("https://login.salesforce.com");
        assertThat(c.apiVersion()).isEqualTo("66.0");
        assertThat(c.auth()).isEqualTo(Auth.CLIENT_CREDENTIALS);
        assertThat(c.budgetPercent()).isEqualTo(20);
        assertThat(c.cycleSeconds()).isEqualTo(60);
        assertThat(c.source()).isEqualTo(Source.SETTINGS);
    }

    @Test
    void anEmptySecretKeepsTheStoredOneOnlyForTheSameSignInFlow() {
        Connection stored = SalesforceSetup.validated(Map.of("clientId", "key", "clientSecret", "secret"), null);
        assertThat(SalesforceSetup.validated(Map.of("clientId", "key", "budgetPercent", "30"), stored)
                        .secret())
                .isEqualTo("secret");
        Map<String, Object> jwt = new HashMap<>(Map.of("clientId", "key", "auth", "JWT_BEARER", "username", "u@x"));
        assertThatThrownBy(() -> SalesforceSetup.validated(jwt, stored))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors())
                        .extracting(FieldError::field)
                        .containsExactly("privateKey"));
    }

    @Test
    void everyBadFieldOfAConnectionIsReportedAtOnce() {
        assertThatThrownBy(() -> SalesforceSetup.validated(
                        Map.of(
                                "loginUrl", "https://x.test/?q=1",
                                "apiVersion", "66",
                                "clientId", "has space",
                                "clientSecret", "s",
                                "budgetPercent", "101",
                                "cycleSeconds", "ten"),
                        null))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrderElementsOf(
                                List.of("loginUrl", "apiVersion", "clientId", "budgetPercent", "cycleSeconds")));
    }
}
