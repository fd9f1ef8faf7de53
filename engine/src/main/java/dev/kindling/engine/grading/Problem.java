package dev.kindling.engine.grading;

/** One thing wrong with a configuration: where ({@code field}, a path such as {@code criteria[1].weight}) and what. */
public record Problem(String field, String message) {}
