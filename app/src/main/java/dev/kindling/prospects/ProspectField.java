package dev.kindling.prospects;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The standard prospect fields a client may write, with their JSON name, column and length limit. */
public enum ProspectField {
    EMAIL("email", "email", 254),
    FIRST_NAME("firstName", "first_name", 100),
    LAST_NAME("lastName", "last_name", 100),
    COMPANY("company", "company", 200),
    JOB_TITLE("jobTitle", "job_title", 200),
    DEPARTMENT("department", "department", 100),
    INDUSTRY("industry", "industry", 100),
    EMPLOYEES("employees", "employees", 0),
    COUNTRY("country", "country", 2),
    PHONE("phone", "phone", 40),
    WEBSITE("website", "website", 500),
    SOURCE("source", "source", 100);

    private static final Map<String, ProspectField> BY_JSON =
            Arrays.stream(values()).collect(Collectors.toMap(ProspectField::json, Function.identity()));

    private final String json;
    private final String column;
    private final int maxLength;

    ProspectField(String json, String column, int maxLength) {
        this.json = json;
        this.column = column;
        this.maxLength = maxLength;
    }

    public String json() {
        return json;
    }

    public String column() {
        return column;
    }

    public int maxLength() {
        return maxLength;
    }

    public boolean isNumeric() {
        return this == EMPLOYEES;
    }

    /** The field with this JSON name, or {@code null}. */
    public static ProspectField byJson(String name) {
        return BY_JSON.get(name);
    }
}
