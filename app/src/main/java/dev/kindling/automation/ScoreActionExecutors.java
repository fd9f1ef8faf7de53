package dev.kindling.automation;

import dev.kindling.engine.automation.Action;
import dev.kindling.scoring.ProspectScores;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The two score actions, both through the scoring ledger (kind AUTOMATION, reason naming the source). */
@Configuration(proxyBeanMethods = false)
class ScoreActionExecutors {

    @Bean
    ActionExecutor<Action.AdjustScore> adjustScoreExecutor(ProspectScores scores) {
        return new ActionExecutor<>() {
            public Class<Action.AdjustScore> kind() {
                return Action.AdjustScore.class;
            }

            public void execute(Action.AdjustScore action, List<Long> ids, ActionSource source) {
                scores.automate(ids, action.points(), null, source.cause());
            }

            @Override
            public void executeAll(List<Call<Action.AdjustScore>> calls) {
                scores.automateAll(calls.stream()
                        .map(c -> new ProspectScores.Automation(
                                c.prospectIds(),
                                c.action().points(),
                                null,
                                c.source().cause()))
                        .toList());
            }
        };
    }

    @Bean
    ActionExecutor<Action.SetScore> setScoreExecutor(ProspectScores scores) {
        return new ActionExecutor<>() {
            public Class<Action.SetScore> kind() {
                return Action.SetScore.class;
            }

            public void execute(Action.SetScore action, List<Long> ids, ActionSource source) {
                scores.automate(ids, 0, action.score(), source.cause());
            }

            @Override
            public void executeAll(List<Call<Action.SetScore>> calls) {
                scores.automateAll(calls.stream()
                        .map(c -> new ProspectScores.Automation(
                                c.prospectIds(),
                                0,
                                c.action().score(),
                                c.source().cause()))
                        .toList());
            }
        };
    }
}
