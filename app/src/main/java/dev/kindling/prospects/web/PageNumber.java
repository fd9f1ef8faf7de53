package dev.kindling.prospects.web;

/** Reads a page number from a query parameter the way a person might type it: anything odd is page 1. */
final class PageNumber {

    /** Deeper pages would only be reached by hand-edited URLs and cost a long scan each. */
    static final int MAX = 2_000;

    private PageNumber() {}

    static int parse(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > 6) {
            return 1;
        }
        try {
            return Math.clamp(Integer.parseInt(raw.strip()), 1, MAX);
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
