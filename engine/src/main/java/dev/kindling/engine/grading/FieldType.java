package dev.kindling.engine.grading;

/** The kind of value a {@link FitField} holds, which decides the operators that apply to it. */
public enum FieldType {
    TEXT,
    NUMBER
}
