package dev.kindling.intake;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/system/intake}: 0 pending means every accepted activity has been fully processed. */
@RestController
class IntakeStatusController {

    private final IntakeStatus status;

    IntakeStatusController(IntakeStatus status) {
        this.status = status;
    }

    @GetMapping(path = "/api/v1/system/intake", produces = "application/json")
    IntakeStatus.Snapshot intake() {
        return status.current();
    }
}
