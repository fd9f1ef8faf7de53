package dev.kindling.engine.crm;

/**
 * Salesforce record ids. Salesforce answers 18-character ids through the API and shows 15-character ones (case
 * sensitive) in its pages; the 18-character form appends three characters that encode the case of the first 15, so
 * it can be compared case-insensitively. The connector keeps every id in the 18-character form.
 */
public final class SalesforceIds {

    private static final String SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private SalesforceIds() {}

    /** The 18-character form of a 15- or 18-character id; {@link IllegalArgumentException} for anything else. */
    public static String to18(String id) {
        if (id == null || !id.matches("[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?")) {
            throw new IllegalArgumentException("not a Salesforce id: " + id);
        }
        String base = id.substring(0, 15);
        StringBuilder out = new StringBuilder(base);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = base.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(SUFFIX.charAt(bits));
        }
        if (id.length() == 18 && !out.toString().equalsIgnoreCase(id)) {
            throw new IllegalArgumentException("not a Salesforce id (wrong checksum): " + id);
        }
        return out.toString();
    }

    /** Whether {@code id} is a well-formed 15- or 18-character Salesforce id (checksum included). */
    public static boolean isValid(String id) {
        try {
            to18(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
