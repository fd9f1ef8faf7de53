package dev.kindling.prospects;

/** The type of a custom prospect field; values are checked and converted on every write. */
public enum CustomFieldType {
    TEXT,
    NUMBER,
    DATE,
    BOOLEAN,
    PICKLIST
}
