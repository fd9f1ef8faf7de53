package dev.kindling.automation;

/**
 * Who runs actions, named in what they leave behind: {@code cause} is {@code rule:<id>}, {@code form:<key>} or
 * {@code link:<id>} (stage transitions, list membership reasons as {@code action:<cause>}, ledger reasons, webhook
 * bodies); {@code ruleId} and {@code name} describe a rule to webhook receivers.
 */
public record ActionSource(String cause, Long ruleId, String name) {

    public static ActionSource rule(long id, String name) {
        return new ActionSource("rule:" + id, id, name);
    }

    public static ActionSource of(String cause, String name) {
        return new ActionSource(cause, null, name);
    }
}
