package dev.kindling.platform.web;

/** The request conflicts with the current state (already converted, already exists): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String detail) {
        super(detail);
    }
}
