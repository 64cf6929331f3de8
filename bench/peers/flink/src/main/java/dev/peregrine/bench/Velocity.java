package dev.peregrine.bench;

/** Look-back features of one transaction over its account's, or its card's, events in (t - 60 s, t]. */
public class Velocity {
    public long count;
    public long sumMinor;
    public long maxMinor;
    public long distinctMerchants;
    public long distinctCountries;
    public long declines;
    /** Event time since the newest earlier event of the look-back; -1 when there is none. */
    public long msSincePrevious;

    public Velocity() {}
}
