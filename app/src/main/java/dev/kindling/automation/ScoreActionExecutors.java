package dev.kindling.automation;

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
        };
    }
}
