package dev.kindling.platform.cluster;

/**
 * Published on each instance when some instance (this one included) changed configuration that instances keep in
 * memory: {@code what} names it ({@link ConfigurationChanges}'s topics), or is {@link ConfigurationChanges#EVERYTHING}
 * when this instance may have missed changes (it has just started listening, or listens again after losing its
 * connection). A cache listens and forgets what it holds of that topic.
 */
public record ConfigurationChanged(String what) {

    /** Whether a cache of {@code topic} must forget what it holds. */
    public boolean concerns(String topic) {
        return what.equals(topic) || what.equals(ConfigurationChanges.EVERYTHING);
    }
}
