package dev.peregrine.bench.rules;

import dev.peregrine.bench.Enriched;
import dev.peregrine.bench.Event;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * What the rule patterns match over, as cep/rules/pattern-event.ts: a transaction with the time
 * since the account's previous one, an auth event, or a profile version reduced to whether it
 * changed a contact detail. Small on purpose: FlinkCEP keeps every event of a partial match in
 * its shared buffer, so features and profiles are not dragged along.
 */
public class PatternEvent {
    /** {@link Event#PROFILE}, {@link Event#AUTH} or {@link Event#TRANSACTION}. */
    public byte kind;
    public String accountId;
    public long time;

    // Transaction.
    public String transactionId;
    public String cardId;
    public String mcc;
    public long amountMinor;
    public boolean declined;
    /** -1 for the account's first transaction. */
    public long msSincePreviousTransaction;

    // Auth event.
    public String authType;

    // Profile version: its email or phone fingerprint differs from the previous version's (never for the first).
    public boolean contactChanged;

    public PatternEvent() {}

    public boolean isTransaction() {
        return kind == Event.TRANSACTION;
    }

    public boolean isAuth(String type) {
        return kind == Event.AUTH && type.equals(authType);
    }

    /**
     * The features operator's output as pattern events, into one reused object: the only chained
     * consumers are filters in front of a keyBy, which serializes the record before the next one is made.
     */
    public static final class Of extends RichMapFunction<Enriched, PatternEvent> {
        private transient PatternEvent out;

        @Override
        public void open(OpenContext context) {
            out = new PatternEvent();
        }

        @Override
        public PatternEvent map(Enriched enriched) {
            Event e = enriched.event;
            PatternEvent p = out;
            p.kind = e.kind;
            p.accountId = e.accountId;
            p.time = e.eventTime;
            p.transactionId = e.transactionId;
            p.cardId = e.cardId;
            p.mcc = e.mcc;
            p.amountMinor = e.amountMinor;
            p.declined = "DECLINED".equals(e.authStatus);
            p.msSincePreviousTransaction = e.kind == Event.TRANSACTION ? enriched.msSincePreviousTransaction : -1;
            p.authType = e.type;
            Event previous = enriched.profile;
            p.contactChanged = e.kind == Event.PROFILE && previous != null
                    && (!Objects.equals(previous.emailFingerprint, e.emailFingerprint)
                            || !Objects.equals(previous.phoneFingerprint, e.phoneFingerprint));
            return p;
        }
    }
}
