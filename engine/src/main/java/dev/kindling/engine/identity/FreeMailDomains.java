package dev.kindling.engine.identity;

import java.util.Set;

/**
 * Consumer mailbox providers. A free-mail address never creates or joins an account (the
 * domain says nothing about the company) and, with the lifecycle rules, disqualifies.
 */
public final class FreeMailDomains {

    private static final Set<String> DOMAINS = Set.of(
            "gmail.com",
            "googlemail.com",
            "yahoo.com",
            "yahoo.co.jp",
            "yahoo.co.uk",
            "ymail.com",
            "hotmail.com",
            "hotmail.co.uk",
            "outlook.com",
            "outlook.jp",
            "live.com",
            "msn.com",
            "aol.com",
            "icloud.com",
            "me.com",
            "mac.com",
            "gmx.com",
            "gmx.de",
            "gmx.net",
            "web.de",
            "mail.com",
            "mail.ru",
            "yandex.ru",
            "yandex.com",
            "proton.me",
            "protonmail.com",
            "zoho.com",
            "qq.com",
            "163.com",
            "126.com",
            "naver.com",
            "docomo.ne.jp",
            "ezweb.ne.jp",
            "softbank.ne.jp",
            "nifty.com",
            "ocn.ne.jp",
            "tutanota.com",
            "fastmail.com",
            "hey.com",
            "pm.me");

    private FreeMailDomains() {}

    public static boolean contains(String domain) {
        return domain != null && DOMAINS.contains(domain.toLowerCase(java.util.Locale.ROOT));
    }
}
