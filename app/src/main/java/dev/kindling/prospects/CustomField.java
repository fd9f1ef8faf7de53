package dev.kindling.prospects;

import java.util.List;

/** A custom prospect field definition; {@code options} are the allowed values of a picklist. */
public record CustomField(long id, String name, String label, CustomFieldType type, List<String> options) {}
