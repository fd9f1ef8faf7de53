package dev.kindling.platform.web;

/** One thing wrong with a request: where ({@code field}, a JSON-pointer-like path) and what. */
public record FieldError(String field, String message) {}
