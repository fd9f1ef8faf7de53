package dev.kindling.engine.grading;

/** What a condition says about one prospect: matched, did not match, or every field it reads was empty. */
public enum Outcome {
    MATCHED,
    NOT_MATCHED,
    UNKNOWN
}
