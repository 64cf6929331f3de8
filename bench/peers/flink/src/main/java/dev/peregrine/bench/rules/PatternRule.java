package dev.peregrine.bench.rules;

import dev.peregrine.bench.Event;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * A starter rule matched by FlinkCEP: its pattern, written as in rules/starter/*.ts (same stages,
 * contiguity, quantifiers, skip strategy and window), the key it runs on, and the events any of
 * its stages can accept.
 *
 * @param byCard keyed by card rather than account: such a rule sees its card's transactions only, as in Peregrine
 * @param finalStage the last stage: its last event completed the match
 * @param accepts the OR of the stages' conditions. Only those events go to the pattern's CEP
 *     operator: every stage has relaxed contiguity and none is negated, so an event no stage
 *     accepts would only be ignored by every run, while costing the operator a buffered element,
 *     a timer and an NFA step (without this filter the job took twice the CPU time, for the same answers).
 *     Impossible-travel, whose pairs need consecutive card-present transactions, is not a pattern here.
 */
public record PatternRule(RuleId rule, boolean byCard, Pattern<PatternEvent, ?> pattern, String finalStage, FilterFunction<PatternEvent> accepts) {

    public KeySelector<PatternEvent, String> key() {
        return byCard ? event -> event.cardId : event -> event.accountId;
    }

    // The stage conditions, as cep/rules/pattern-event.ts and the rule modules define them.

    // HashSets: contains(null) is false, as a JS Set's has(), where a Set.of set would throw.
    private static final Set<String> CREDENTIAL_AUTH = new HashSet<>(List.of("PASSWORD_CHANGE", "EMAIL_CHANGE", "PHONE_CHANGE", "NEW_DEVICE"));
    private static final Set<String> HIGH_RISK_MCCS = new HashSet<>(List.of("7995", "6051", "4829", "5967", "7801"));
    private static final long DORMANT_MS = 90 * 86_400_000L;

    static final FilterFunction<PatternEvent> CREDENTIAL_CHANGE =
            e -> (e.kind == Event.AUTH && CREDENTIAL_AUTH.contains(e.authType)) || (e.kind == Event.PROFILE && e.contactChanged);
    static final FilterFunction<PatternEvent> LARGE_PAYMENT = e -> e.isTransaction() && e.amountMinor >= 100_000;
    static final FilterFunction<PatternEvent> PROBE = e -> e.isTransaction() && e.amountMinor <= 200;
    static final FilterFunction<PatternEvent> CHARGE = e -> e.isTransaction() && e.amountMinor >= 50_000;
    static final FilterFunction<PatternEvent> WAKE = e -> e.isTransaction() && e.msSincePreviousTransaction >= DORMANT_MS;
    static final FilterFunction<PatternEvent> TRANSACTION = PatternEvent::isTransaction;
    static final FilterFunction<PatternEvent> LOGIN_FAILURE = e -> e.isAuth("LOGIN_FAILURE");
    static final FilterFunction<PatternEvent> HIGH_RISK = e -> e.isTransaction() && HIGH_RISK_MCCS.contains(e.mcc);
    static final FilterFunction<PatternEvent> LOGIN = e -> e.isAuth("LOGIN_SUCCESS");
    static final FilterFunction<PatternEvent> DECLINE = e -> e.isTransaction() && e.declined;
    static final FilterFunction<PatternEvent> LOCKOUT = e -> e.isAuth("LOCKOUT");

    /** The six pattern rules of the starter pack. */
    public static final List<PatternRule> STARTER = List.of(
            new PatternRule(RuleId.ACCOUNT_TAKEOVER, false,
                    // followedByAny: every large payment in the window after the change fires, not only the first.
                    Pattern.<PatternEvent>begin("change").where(SimpleCondition.of(CREDENTIAL_CHANGE))
                            .followedByAny("payment").where(SimpleCondition.of(LARGE_PAYMENT))
                            .within(Duration.ofMinutes(30)),
                    "payment", anyOf(CREDENTIAL_CHANGE, LARGE_PAYMENT)),
            new PatternRule(RuleId.CARD_TESTING, true,
                    Pattern.<PatternEvent>begin("probes", AfterMatchSkipStrategy.skipPastLastEvent()).where(SimpleCondition.of(PROBE)).timesOrMore(3)
                            .followedBy("charge").where(SimpleCondition.of(CHARGE))
                            .within(Duration.ofMinutes(10)),
                    "charge", anyOf(PROBE, CHARGE)),
            new PatternRule(RuleId.DORMANT_BURST, false,
                    Pattern.<PatternEvent>begin("wake").where(SimpleCondition.of(WAKE))
                            .followedBy("burst").where(SimpleCondition.of(TRANSACTION)).times(3)
                            .within(Duration.ofMinutes(30)),
                    "burst", TRANSACTION),
            new PatternRule(RuleId.FAILED_LOGINS, false,
                    Pattern.<PatternEvent>begin("failures", AfterMatchSkipStrategy.skipPastLastEvent()).where(SimpleCondition.of(LOGIN_FAILURE)).times(11)
                            .within(Duration.ofSeconds(60)),
                    "failures", LOGIN_FAILURE),
            new PatternRule(RuleId.HIGH_RISK_MCC_SPREE, false,
                    Pattern.<PatternEvent>begin("spree").where(SimpleCondition.of(HIGH_RISK)).times(3)
                            .within(Duration.ofMinutes(10)),
                    "spree", HIGH_RISK),
            new PatternRule(RuleId.LOGIN_DECLINE_LOCKOUT, false,
                    Pattern.<PatternEvent>begin("login", AfterMatchSkipStrategy.skipPastLastEvent()).where(SimpleCondition.of(LOGIN))
                            .followedBy("decline").where(SimpleCondition.of(DECLINE))
                            .followedBy("lockout").where(SimpleCondition.of(LOCKOUT))
                            .within(Duration.ofMinutes(10)),
                    "lockout", anyOf(LOGIN, DECLINE, LOCKOUT)));

    @SafeVarargs
    private static FilterFunction<PatternEvent> anyOf(FilterFunction<PatternEvent>... conditions) {
        return event -> {
            for (FilterFunction<PatternEvent> condition : conditions) if (condition.filter(event)) return true;
            return false;
        };
    }
}
