package dev.kindling.intake;

import dev.kindling.engine.intake.IntakeProcessor;
import dev.kindling.engine.intake.IntakeStep;
import dev.kindling.engine.intake.LastActivityStep;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine's intake processor with every capability's step. Last-activity tracking comes first;
 * later capabilities (scoring, grading, lifecycle, lists, rules) contribute {@link IntakeStep} beans,
 * run in their {@code @Order}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntakeProperties.class)
class IntakeConfiguration {

    @Bean
    IntakeProcessor intakeProcessor(ObjectProvider<IntakeStep> steps) {
        List<IntakeStep> all = new ArrayList<>();
        all.add(new LastActivityStep());
        steps.orderedStream().forEach(all::add);
        return new IntakeProcessor(all);
    }
}
