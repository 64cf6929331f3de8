package dev.peregrine.bench.rules;

/**
 * Impossible-travel's state: the account's last card-present transaction. The rule pairs each
 * card-present transaction with the previous one (cep/rules/rule.ts, RulePairs), so one event
 * per account is all a run holds.
 */
public class Travel {
    static final long WINDOW_MS = 6 * 3_600_000L;
    static final double MIN_DISTANCE_KM = 500;
    static final double MAX_SPEED_KMH = 900;
    private static final double EARTH_RADIUS_KM = 6371;
    private static final double RADIANS = Math.PI / 180;

    public long time;
    public double lat;
    public double lon;

    public Travel() {}

    static boolean isCardPresent(String channel) {
        return "POS".equals(channel) || "ATM".equals(channel);
    }

    /** Whether a card-present transaction at (time, lat, lon) is too far from this one for the time between them; then it moves here. */
    boolean moveTo(long time, double lat, double lon) {
        long elapsedMs = time - this.time;
        boolean impossible = false;
        if (elapsedMs < WINDOW_MS) {
            double km = distanceKm(this.lat, this.lon, lat, lon);
            double kmh = elapsedMs == 0 ? Double.POSITIVE_INFINITY : km / (elapsedMs / 3_600_000.0);
            impossible = km >= MIN_DISTANCE_KM && kmh > MAX_SPEED_KMH;
        }
        this.time = time;
        this.lat = lat;
        this.lon = lon;
        return impossible;
    }

    /**
     * Haversine distance in km, as cep/rules/geo.ts computes it, operation for operation: StrictMath
     * is fdlibm, as V8's sin, cos and asin are, and x * x is what fdlibm's pow returns for y = 2,
     * so the doubles agree with Peregrine's bit for bit.
     */
    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = (lat2 - lat1) * RADIANS;
        double dLon = (lon2 - lon1) * RADIANS;
        double sinLat = StrictMath.sin(dLat / 2);
        double sinLon = StrictMath.sin(dLon / 2);
        double h = sinLat * sinLat + StrictMath.cos(lat1 * RADIANS) * StrictMath.cos(lat2 * RADIANS) * (sinLon * sinLon);
        return 2 * EARTH_RADIUS_KM * StrictMath.asin(Math.min(1, Math.sqrt(h)));
    }
}
