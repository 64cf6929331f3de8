package dev.peregrine.bench;

/**
 * A record after the keyed features operator, in event-time order per account: a transaction with
 * its joined profile version and its features; in the rules job also auth events and profile
 * versions, which patterns see.
 */
public class Enriched {
    public Event event;
    /** For a transaction or auth event, the profile version valid at its time; for a profile version, the one before it. Null when there is none. */
    public Event profile;
    public Velocity account = new Velocity();
    public Velocity card = new Velocity();
    public long sessionEvents;
    public long sessionSumMinor;
    public long sessionDistinctMerchants;
    public long sessionDistinctDevices;
    public long sessionStartedAt;
    /** Event time since the account's previous transaction at or before this one; -1 for its first. */
    public long msSincePreviousTransaction;

    public Enriched() {}
}
