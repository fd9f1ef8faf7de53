package dev.kindling.platform.database;

/**
 * A cursor over PostgreSQL's {@code jsonb::text} of an object the app itself wrote, for the readers that take the
 * plain shape of such a column by hand ({@code intake.PropertiesJson}, {@code scoring.ScoreMemoryText}) and leave
 * anything else to Jackson: each method reads one token at the cursor and answers {@code null} (or {@code false})
 * for anything it does not take, and the reader then gives the whole text to Jackson, whose answer or error stands.
 * The caller checks that something follows ({@link #skip}) before it reads a token.
 */
public final class JsonText {

    private final String text;
    private int at;

    public JsonText(String text) {
        this.text = text;
    }

    /** Past any whitespace; whether anything follows. */
    public boolean skip() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return true;
            }
            at++;
        }
        return false;
    }

    /** Whether nothing but whitespace follows. */
    public boolean end() {
        return !skip();
    }

    /** Takes {@code c} if it is next. */
    public boolean take(char c) {
        if (text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    /** Takes {@code c} if it is next, and whatever whitespace follows; whether something follows that. */
    public boolean takeThenSkip(char c) {
        return take(c) && skip();
    }

    /** Takes {@code literal} (e.g. {@code null}) if it is next. */
    public boolean literal(String literal) {
        if (text.startsWith(literal, at)) {
            at += literal.length();
            return true;
        }
        return false;
    }

    /** {@code true} or {@code false}, or {@code null}. */
    public Boolean bool() {
        return literal("true") ? Boolean.TRUE : literal("false") ? Boolean.FALSE : null;
    }

    /** A JSON integer (no fraction, no exponent, no leading zero) within a long's range, or {@code null}. */
    public Long integer() {
        int from = at;
        if (at < text.length() && text.charAt(at) == '-') {
            at++;
        }
        int digits = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        int n = at - digits;
        if (n == 0 || n > 18 || (n > 1 && text.charAt(digits) == '0')) {
            return null; // none, possibly beyond a long, or a leading zero
        }
        if (at < text.length()) {
            char c = text.charAt(at);
            if (c == '.' || c == 'e' || c == 'E') {
                return null;
            }
        }
        return Long.parseLong(text, from, at, 10);
    }

    /** A string, its escapes decoded, or {@code null} (no string here, a control character, a bad escape). */
    public String string() {
        if (text.charAt(at) != '"') {
            return null;
        }
        int from = ++at;
        StringBuilder escaped = null;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"') {
                String s = escaped == null
                        ? text.substring(from, at)
                        : escaped.append(text, from, at).toString();
                at++;
                return s;
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                at++;
                continue;
            }
            if (escaped == null) {
                escaped = new StringBuilder();
            }
            escaped.append(text, from, at);
            if (++at >= text.length()) {
                return null;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> escaped.append(e);
                case 'b' -> escaped.append('\b');
                case 't' -> escaped.append('\t');
                case 'n' -> escaped.append('\n');
                case 'f' -> escaped.append('\f');
                case 'r' -> escaped.append('\r');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        return null;
                    }
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        char h = text.charAt(at++);
                        int digit = h >= '0' && h <= '9'
                                ? h - '0'
                                : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                        if (digit < 0) {
                            return null;
                        }
                        code = code << 4 | digit;
                    }
                    escaped.append((char) code);
                }
                default -> {
                    return null;
                }
            }
            from = at;
        }
        return null;
    }

    /** A key and its colon, then past whitespace to the value; {@code null} if anything of that is missing. */
    public String key() {
        String key = string();
        return key != null && skip() && takeThenSkip(':') ? key : null;
    }
}
