package dev.peregrine.bench;

import java.util.HashSet;

/**
 * The hot state of one account in one object, so that an event costs one state lookup: the
 * profile version in force, the events of the velocity look-back, the current session and the
 * time of the last transaction. The heap state backend hands out this object itself (no copy),
 * so it is updated in place.
 */
public final class AccountState {
    /** The newest profile version applied. */
    public Event profile;

    // The look-back's events, oldest first, in parallel arrays from `first` to `first + size`.
    public long[] times = new long[4];
    public long[] amounts = new long[4];
    public String[] merchants = new String[4];
    public String[] countries = new String[4];
    public boolean[] declined = new boolean[4];
    public String[] cards = new String[4];
    public int first;
    public int size;

    // The current session; sessionEvents is 0 when there is none.
    public long sessionStartedAt;
    public long sessionLastAt;
    public long sessionEvents;
    public long sessionSumMinor;
    public final HashSet<String> sessionMerchants = new HashSet<>(4);
    public final HashSet<String> sessionDevices = new HashSet<>(4);

    /** -1 before the first transaction. */
    public long lastTransactionTime = -1;

    /** Drops the look-back's events at or before `horizon`. */
    public void evictThrough(long horizon) {
        while (size > 0 && times[first] <= horizon) {
            merchants[first] = null;
            countries[first] = null;
            cards[first] = null;
            first++;
            size--;
        }
        if (size == 0) first = 0;
    }

    /** Appends a transaction to the look-back (events arrive in event-time order). */
    public void append(Event tx) {
        if (first + size == times.length) {
            if (first > 0) compact();
            else grow();
        }
        int at = first + size++;
        times[at] = tx.eventTime;
        amounts[at] = tx.amountMinor;
        merchants[at] = tx.merchantId;
        countries[at] = tx.country;
        declined[at] = "DECLINED".equals(tx.authStatus);
        cards[at] = tx.cardId;
    }

    private void compact() {
        System.arraycopy(times, first, times, 0, size);
        System.arraycopy(amounts, first, amounts, 0, size);
        System.arraycopy(merchants, first, merchants, 0, size);
        System.arraycopy(countries, first, countries, 0, size);
        System.arraycopy(declined, first, declined, 0, size);
        System.arraycopy(cards, first, cards, 0, size);
        java.util.Arrays.fill(merchants, size, first + size, null);
        java.util.Arrays.fill(countries, size, first + size, null);
        java.util.Arrays.fill(cards, size, first + size, null);
        first = 0;
    }

    private void grow() {
        int capacity = times.length * 2;
        times = java.util.Arrays.copyOf(times, capacity);
        amounts = java.util.Arrays.copyOf(amounts, capacity);
        merchants = java.util.Arrays.copyOf(merchants, capacity);
        countries = java.util.Arrays.copyOf(countries, capacity);
        declined = java.util.Arrays.copyOf(declined, capacity);
        cards = java.util.Arrays.copyOf(cards, capacity);
    }
}
