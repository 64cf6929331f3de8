package dev.peregrine.bench.rules;

import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/** One pattern rule's matches, as the scoring operator takes them. */
public class MatchFunction extends PatternProcessFunction<PatternEvent, RuleMatch> {
    private final RuleId rule;
    private final String finalStage;

    public MatchFunction(RuleId rule, String finalStage) {
        this.rule = rule;
        this.finalStage = finalStage;
    }

    @Override
    public void processMatch(Map<String, List<PatternEvent>> match, Context context, Collector<RuleMatch> out) {
        List<PatternEvent> stage = match.get(finalStage);
        PatternEvent last = stage.get(stage.size() - 1);
        RuleMatch m = new RuleMatch();
        m.rule = rule;
        m.accountId = last.accountId;
        // As in Peregrine, a match scores the payment that completed it only when it is emitted
        // while that payment is processed: the context's timestamp is the time of the event being
        // processed, or the watermark when windows close. A match a skip strategy held back and
        // releases on a later step is an account-level alert.
        if (last.isTransaction() && last.time == context.timestamp()) m.transactionId = last.transactionId;
        out.collect(m);
    }
}
