package dev.peregrine.bench.rules;

/** A match of a pattern rule, reduced to what scoring needs: which rule, and the payment it fired on. */
public class RuleMatch {
    public RuleId rule;
    public String accountId;
    /** The payment that completed the match; null for an account-level alert (completed by an auth event or a profile change, or released later). */
    public String transactionId;

    public RuleMatch() {}
}
