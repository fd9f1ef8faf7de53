package dev.kindling.platform.web;

import java.io.Serializable;

/**
 * One thing wrong with a request: where ({@code field}, a JSON-pointer-like path) and what. Serializable: a form page
 * hands its errors to the next page in the session (flash attributes), which is stored in the database.
 */
public record FieldError(String field, String message) implements Serializable {}
