package dev.peregrine.bench.rules;

import dev.peregrine.bench.Enriched;
import dev.peregrine.bench.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The scoring operator, keyed by account: one output per payment with every rule that fired on
 * it, and one per account-level alert.
 *
 * <p>A payment waits until the watermark passes its time. The CEP operators emit a match when the
 * watermark reaches its last event and forward the watermark only afterwards, so by then every
 * match completed on the payment has arrived (before or after the payment itself: they come over
 * other channels). Pattern rules fire once per payment however many matches complete on it (a bit
 * mask). The feature rules read the payment's features, and impossible-travel pairs it with the
 * account's previous card-present transaction: timers fire in event-time order, and the payments
 * of one timestamp are kept in arrival order, which is the features operator's order.
 */
public class ScoringFunction extends KeyedCoProcessFunction<String, Enriched, RuleMatch, RuleOutput> {
    private static final int VELOCITY_MIN_COUNT = 8;
    private static final long VELOCITY_MIN_SUM_MINOR = 500_000;

    private transient MapState<Long, List<Enriched>> pending;
    /** Pattern rules that fired on a payment not scored yet, by transaction id. */
    private transient MapState<String, Integer> patternHits;
    private transient ValueState<Travel> travel;
    /** The one output object: the chained sink consumes it before the next is made. */
    private transient RuleOutput out;

    @Override
    public void open(OpenContext context) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, new TypeHint<List<Enriched>>() {}.getTypeInfo()));
        patternHits = getRuntimeContext().getMapState(new MapStateDescriptor<>("pattern-hits", Types.STRING, Types.INT));
        travel = getRuntimeContext().getState(new ValueStateDescriptor<>("travel", TypeInformation.of(Travel.class)));
        out = new RuleOutput();
    }

    /** A payment from the features operator: freshly deserialized, so it may be kept as it is. */
    @Override
    public void processElement1(Enriched payment, Context context, Collector<RuleOutput> collector) throws Exception {
        long time = payment.event.eventTime;
        List<Enriched> atTime = pending.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>(2);
            pending.put(time, atTime);
            context.timerService().registerEventTimeTimer(time);
        }
        atTime.add(payment);
    }

    @Override
    public void processElement2(RuleMatch match, Context context, Collector<RuleOutput> collector) throws Exception {
        int bit = match.rule.bit();
        if (match.transactionId == null) {
            emit(null, bit, collector);
            return;
        }
        Integer hits = patternHits.get(match.transactionId);
        patternHits.put(match.transactionId, hits == null ? bit : hits | bit);
    }

    @Override
    public void onTimer(long time, OnTimerContext context, Collector<RuleOutput> collector) throws Exception {
        List<Enriched> atTime = pending.get(time);
        pending.remove(time);
        for (int i = 0; i < atTime.size(); i++) {
            Enriched payment = atTime.get(i);
            int rules = impossibleTravel(payment.event) | featureRules(payment);
            Integer hits = patternHits.get(payment.event.transactionId);
            if (hits != null) {
                patternHits.remove(payment.event.transactionId);
                rules |= hits;
            }
            emit(payment, rules, collector);
        }
    }

    private void emit(Enriched payment, int rules, Collector<RuleOutput> collector) {
        out.payment = payment;
        out.rules = rules;
        collector.collect(out);
    }

    /** Pairs a card-present transaction with the account's previous one (rules/starter/impossible-travel.ts). */
    private int impossibleTravel(Event tx) throws Exception {
        if (!Travel.isCardPresent(tx.channel)) return 0;
        Travel last = travel.value();
        if (last == null) {
            last = new Travel();
            last.time = tx.eventTime;
            last.lat = tx.lat;
            last.lon = tx.lon;
            travel.update(last);
            return 0;
        }
        boolean impossible = last.moveTo(tx.eventTime, tx.lat, tx.lon);
        travel.update(last);
        return impossible ? RuleId.IMPOSSIBLE_TRAVEL.bit() : 0;
    }

    /** velocity-burst and over-limit, on the payment's features and joined profile. */
    private static int featureRules(Enriched payment) {
        int rules = 0;
        if (payment.account.count >= VELOCITY_MIN_COUNT || payment.account.sumMinor >= VELOCITY_MIN_SUM_MINOR) rules |= RuleId.VELOCITY_BURST.bit();
        Event tx = payment.event;
        Event profile = payment.profile;
        // An unknown account, a foreign currency or no limit gives no basis to compare; the limit is 1.5 times, in integers.
        if (profile != null && Objects.equals(profile.currency, tx.currency) && profile.creditLimitMinor > 0
                && tx.amountMinor * 2 >= profile.creditLimitMinor * 3) rules |= RuleId.OVER_LIMIT.bit();
        return rules;
    }
}
