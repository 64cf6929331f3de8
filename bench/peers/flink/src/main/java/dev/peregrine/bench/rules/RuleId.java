package dev.peregrine.bench.rules;

/** The nine starter rules, in pack order (rules/starter/index.ts); a set of them is a bit mask. */
public enum RuleId {
    ACCOUNT_TAKEOVER("account-takeover"),
    CARD_TESTING("card-testing"),
    DORMANT_BURST("dormant-burst"),
    FAILED_LOGINS("failed-logins"),
    HIGH_RISK_MCC_SPREE("high-risk-mcc-spree"),
    IMPOSSIBLE_TRAVEL("impossible-travel"),
    LOGIN_DECLINE_LOCKOUT("login-decline-lockout"),
    OVER_LIMIT("over-limit"),
    VELOCITY_BURST("velocity-burst");

    private static final RuleId[] VALUES = values();

    public final String id;

    RuleId(String id) {
        this.id = id;
    }

    public int bit() {
        return 1 << ordinal();
    }

    /** The rule of the lowest bit set in `rules`. */
    static RuleId lowest(int rules) {
        return VALUES[Integer.numberOfTrailingZeros(rules)];
    }
}
