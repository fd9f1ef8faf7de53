package dev.kindling.audit;

/** Who made a change: a signed-in user, the holder of an API key (with the key), or the system. */
public record Actor(String type, Long userId, String email, Long apiKeyId, String apiKeyName) {

    public static final String USER = "USER";
    public static final String API_KEY = "API_KEY";
    public static final String SYSTEM = "SYSTEM";

    static final Actor SYSTEM_ACTOR = new Actor(SYSTEM, null, null, null, null);
}
