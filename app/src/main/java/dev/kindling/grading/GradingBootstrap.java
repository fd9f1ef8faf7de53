package dev.kindling.grading;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On start: installs the default grading profile if there is none, then grades every prospect
 * that has no profile yet (stored before grading existed, bulk-loaded behind the app's back, or
 * left without one by a deleted profile).
 */
@Component
@Order(10)
class GradingBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(GradingBootstrap.class);

    private final GradingProfiles profiles;
    private final Grader grader;

    GradingBootstrap(GradingProfiles profiles, Grader grader) {
        this.profiles = profiles;
        this.grader = grader;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (profiles.installDefault()) {
            log.info("Grading: installed the default grading profile");
        }
        grader.regrade(Grader.Scope.UNGRADED, java.util.List.of());
    }
}
