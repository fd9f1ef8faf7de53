package dev.kindling.support;

import java.util.Random;

/** Random small damage to a text, for property tests that compare a hand-written reader with a library's. */
public final class Alterations {

    private Alterations() {}

    /** {@code text} with one to three characters inserted, deleted or replaced, those put in drawn from {@code alphabet}. */
    public static String of(String text, String alphabet, Random random) {
        StringBuilder altered = new StringBuilder(text);
        for (int k = random.nextInt(3) + 1; k > 0; k--) {
            int at = random.nextInt(altered.length() + 1);
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> altered.insert(at, c);
                case 1 -> {
                    if (at < altered.length()) {
                        altered.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < altered.length()) {
                        altered.setCharAt(at, c);
                    }
                }
            }
        }
        return altered.toString();
    }
}
