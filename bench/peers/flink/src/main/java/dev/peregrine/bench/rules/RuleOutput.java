package dev.peregrine.bench.rules;

import dev.peregrine.bench.Answers;
import dev.peregrine.bench.Enriched;

/** What the rules job emits: a scored payment with the rules that fired on it, or an account-level alert of one rule. */
public class RuleOutput {
    /** Null for an account-level alert. */
    public Enriched payment;
    /** Bits of {@link RuleId}: the rules that fired on the payment, or the alert's one rule. */
    public int rules;

    public RuleOutput() {}

    /** The counting sink's step. */
    public static void count(Answers answers, RuleOutput out) {
        if (out.payment != null) answers.onPayment(out.payment);
        for (int rules = out.rules; rules != 0; rules &= rules - 1) {
            String id = RuleId.lowest(rules).id;
            if (out.payment != null) answers.onPaymentHit(id);
            else answers.onAccountAlert(id);
        }
    }
}
