package dev.peregrine.bench;

import dev.peregrine.bench.rules.MatchFunction;
import dev.peregrine.bench.rules.PatternEvent;
import dev.peregrine.bench.rules.PatternRule;
import dev.peregrine.bench.rules.RuleMatch;
import dev.peregrine.bench.rules.RuleOutput;
import dev.peregrine.bench.rules.ScoringFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * bench:rules' work: the features operator, then the nine starter rules. Each pattern rule is a
 * FlinkCEP operator over the pattern events it can accept, keyed by account (by card for
 * card-testing); their matches and the payments meet, keyed by account, in the scoring operator,
 * which also judges the feature rules and impossible-travel's consecutive pairs.
 */
public final class RulesJob {
    private RulesJob() {}

    static void build(DataStream<Event> source) {
        DataStream<Enriched> enriched = source.keyBy(event -> event.accountId)
                .process(new FeaturesFunction(true))
                .name("features");
        DataStream<PatternEvent> patternEvents = enriched.map(new PatternEvent.Of()).name("pattern-events");
        DataStream<RuleMatch> matches = null;
        for (PatternRule rule : PatternRule.STARTER) {
            DataStream<PatternEvent> accepted = patternEvents.filter(rule.accepts()).name(rule.rule().id + "-events");
            DataStream<RuleMatch> ruleMatches = CEP.pattern(accepted.keyBy(rule.key(), Types.STRING), rule.pattern())
                    .process(new MatchFunction(rule.rule(), rule.finalStage()))
                    .name(rule.rule().id);
            matches = matches == null ? ruleMatches : matches.union(ruleMatches);
        }
        enriched.filter(e -> e.event.kind == Event.TRANSACTION).name("payments")
                .keyBy(e -> e.event.accountId)
                .connect(matches.keyBy(match -> match.accountId))
                .process(new ScoringFunction())
                .name("score")
                .sinkTo(new CountingSink<RuleOutput>(RuleOutput::count))
                .name("count");
    }
}
