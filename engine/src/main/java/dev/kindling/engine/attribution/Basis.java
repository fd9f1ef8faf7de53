package dev.kindling.engine.attribution;

/**
 * Which opportunities are credited and from which milestone: {@code PIPELINE} — created in the period, touches before
 * the creation; {@code WON} — won in the period, touches before the close.
 */
public enum Basis {
    PIPELINE,
    WON
}
