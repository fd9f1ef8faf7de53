package dev.kindling.assignment;

import java.util.List;

/**
 * Published in the writing transaction after assignments are recorded (one event per batch), so listeners (the owner
 * notice, the SLA's start) commit or roll back with them.
 */
public record ProspectsAssigned(List<Assignment> assignments) {

    public ProspectsAssigned {
        assignments = List.copyOf(assignments);
    }
}
