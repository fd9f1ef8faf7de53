package dev.kindling.sales;

import dev.kindling.assignment.Assignment;
import dev.kindling.assignment.ProspectsAssigned;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Starts the SLA on every assignment, in the assigning transaction (a rolled-back assignment starts no clock). */
@Component
class HandoffStarts {

    private final Handoffs handoffs;

    HandoffStarts(Handoffs handoffs) {
        this.handoffs = handoffs;
    }

    @EventListener
    void on(ProspectsAssigned assigned) {
        handoffs.start(assigned.assignments().stream()
                .map((Assignment a) -> new Handoffs.Start(a.prospectId(), a.userId(), a.teamId(), a.at(), a.id()))
                .toList());
    }
}
