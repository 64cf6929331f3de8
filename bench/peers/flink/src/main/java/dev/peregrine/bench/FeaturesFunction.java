package dev.peregrine.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The features operator, keyed by account: the event-time temporal join with the account's profile
 * versions, the 60 s look-back velocity features of the account and of the transaction's card, and
 * 30-minute-gap session features. Records wait in keyed state until the watermark passes their
 * time (one event-time timer per key and timestamp, as FlinkCEP's operator buffers), then each
 * timestamp's records are processed in input order (profile versions, auth events, transactions)
 * and, within an input, in arrival order: the order Peregrine processes them in.
 *
 * <p>The features job emits one record per transaction; the rules job ({@code allKinds}) also
 * passes auth events and profile versions on, with the profile version they follow, for patterns.
 */
public class FeaturesFunction extends KeyedProcessFunction<String, Event, Enriched> {
    static final long WINDOW_MS = 60_000;
    static final long SESSION_GAP_MS = 30 * 60_000;

    private final boolean allKinds;
    private transient MapState<Long, List<Event>> pending;
    private transient ValueState<AccountState> accounts;
    /** The one output object: the chained sink or the serializer consumes it before the next is made. */
    private transient Enriched out;

    public FeaturesFunction(boolean allKinds) {
        this.allKinds = allKinds;
    }

    @Override
    public void open(OpenContext context) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, new TypeHint<List<Event>>() {}.getTypeInfo()));
        accounts = getRuntimeContext().getState(new ValueStateDescriptor<>("account", TypeInformation.of(AccountState.class)));
        out = new Enriched();
    }

    @Override
    public void processElement(Event event, Context context, Collector<Enriched> collector) throws Exception {
        long time = event.eventTime;
        List<Event> atTime = pending.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>(2);
            pending.put(time, atTime);
            context.timerService().registerEventTimeTimer(time);
        }
        atTime.add(event);
    }

    @Override
    public void onTimer(long time, OnTimerContext context, Collector<Enriched> collector) throws Exception {
        List<Event> atTime = pending.get(time);
        pending.remove(time);
        AccountState state = accounts.value();
        if (state == null) {
            state = new AccountState();
            accounts.update(state);
        }
        for (byte kind = Event.PROFILE; kind <= Event.TRANSACTION; kind++) {
            for (int i = 0; i < atTime.size(); i++) {
                Event event = atTime.get(i);
                if (event.kind == kind) process(event, state, collector);
            }
        }
    }

    private void process(Event event, AccountState state, Collector<Enriched> collector) {
        switch (event.kind) {
            case Event.PROFILE -> {
                if (allKinds) emit(event, state.profile, collector);
                state.profile = event;
            }
            case Event.AUTH -> {
                if (allKinds) emit(event, state.profile, collector);
            }
            default -> onTransaction(event, state, collector);
        }
    }

    private void emit(Event event, Event profile, Collector<Enriched> collector) {
        out.event = event;
        out.profile = profile;
        collector.collect(out);
    }

    private void onTransaction(Event tx, AccountState state, Collector<Enriched> collector) {
        long time = tx.eventTime;
        Enriched e = out;
        velocity(state, tx, null, e.account);
        velocity(state, tx, tx.cardId, e.card);
        state.evictThrough(time - WINDOW_MS);
        state.append(tx);
        session(state, tx, e);
        e.msSincePreviousTransaction = state.lastTransactionTime < 0 ? -1 : time - state.lastTransactionTime;
        state.lastTransactionTime = time;
        e.event = tx;
        e.profile = state.profile;
        collector.collect(e);
    }

    /** The look-back (t - 60 s, t] of the account, or of `card` when not null, the transaction itself included. */
    private static void velocity(AccountState state, Event tx, String card, Velocity v) {
        long time = tx.eventTime;
        long from = time - WINDOW_MS;
        boolean declined = "DECLINED".equals(tx.authStatus);
        v.count = 1;
        v.sumMinor = tx.amountMinor;
        v.maxMinor = tx.amountMinor;
        v.distinctMerchants = 1;
        v.distinctCountries = 1;
        v.declines = declined ? 1 : 0;
        v.msSincePrevious = -1;
        int end = state.first + state.size;
        for (int i = end - 1; i >= state.first && state.times[i] > from; i--) {
            if (card != null && !card.equals(state.cards[i])) continue;
            if (v.msSincePrevious < 0) v.msSincePrevious = time - state.times[i];
            v.count++;
            v.sumMinor += state.amounts[i];
            if (state.amounts[i] > v.maxMinor) v.maxMinor = state.amounts[i];
            if (state.declined[i]) v.declines++;
            if (isFirstSeen(state, i, end, card, tx.merchantId, state.merchants)) v.distinctMerchants++;
            if (isFirstSeen(state, i, end, card, tx.country, state.countries)) v.distinctCountries++;
        }
    }

    /** Whether `values[i]` differs from the transaction's own value and from every newer event's of the same scope. */
    private static boolean isFirstSeen(AccountState state, int i, int end, String card, String own, String[] values) {
        String value = values[i];
        if (value.equals(own)) return false;
        for (int j = i + 1; j < end; j++) {
            if ((card == null || card.equals(state.cards[j])) && value.equals(values[j])) return false;
        }
        return true;
    }

    private static void session(AccountState state, Event tx, Enriched e) {
        long time = tx.eventTime;
        if (state.sessionEvents == 0 || time - state.sessionLastAt >= SESSION_GAP_MS) {
            state.sessionEvents = 0;
            state.sessionSumMinor = 0;
            state.sessionMerchants.clear();
            state.sessionDevices.clear();
            state.sessionStartedAt = time;
        }
        state.sessionLastAt = time;
        state.sessionMerchants.add(tx.merchantId);
        if (tx.deviceId != null) state.sessionDevices.add(tx.deviceId);
        e.sessionEvents = ++state.sessionEvents;
        e.sessionSumMinor = state.sessionSumMinor += tx.amountMinor;
        e.sessionDistinctMerchants = state.sessionMerchants.size();
        e.sessionDistinctDevices = state.sessionDevices.size();
        e.sessionStartedAt = state.sessionStartedAt;
    }
}
