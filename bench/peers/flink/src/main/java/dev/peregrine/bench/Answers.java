package dev.peregrine.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a peer run answers, computed exactly as bench/peers/answers.ts computes it (see there): the
 * payment count, an order-free checksum of every payment's features and profile version, and each
 * rule's hits on payments and as account-level alerts.
 */
public final class Answers {
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    public long payments;
    private int checksum;
    private final Map<String, long[]> rules = new TreeMap<>();

    public void onPayment(Enriched scored) {
        payments++;
        checksum += paymentHash(scored);
    }

    public void onPaymentHit(String ruleId) {
        rules.computeIfAbsent(ruleId, id -> new long[2])[0]++;
    }

    public void onAccountAlert(String ruleId) {
        rules.computeIfAbsent(ruleId, id -> new long[2])[1]++;
    }

    static int paymentHash(Enriched scored) {
        String id = scored.event.transactionId;
        int h = FNV_OFFSET;
        for (int i = 0; i < id.length(); i++) h = (h ^ id.charAt(i)) * FNV_PRIME;
        h = mixVelocity(h, scored.account);
        h = mixVelocity(h, scored.card);
        h = mix(h, scored.sessionEvents);
        h = mix(h, scored.sessionSumMinor);
        h = mix(h, scored.sessionDistinctMerchants);
        h = mix(h, scored.sessionDistinctDevices);
        h = mix(h, scored.sessionStartedAt);
        h = mix(h, scored.profile == null ? -1 : scored.profile.eventTime);
        return fmix32(h);
    }

    private static int mix(int hash, long value) {
        int low = (hash ^ (int) value) * FNV_PRIME;
        return (low ^ (int) (value >> 32)) * FNV_PRIME;
    }

    private static int mixVelocity(int hash, Velocity v) {
        int h = mix(hash, v.count);
        h = mix(h, v.sumMinor);
        h = mix(h, v.maxMinor);
        h = mix(h, v.distinctMerchants);
        h = mix(h, v.distinctCountries);
        h = mix(h, v.declines);
        return mix(h, v.msSincePrevious);
    }

    private static int fmix32(int hash) {
        int h = hash ^ (hash >>> 16);
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    /** As JSON, in the shape answers.ts writes. */
    public String toJson() {
        StringBuilder json = new StringBuilder();
        json.append("{\"payments\":").append(payments);
        json.append(",\"featureChecksum\":\"").append(String.format("%08x", checksum)).append("\",\"ruleHits\":{");
        String separator = "";
        for (Map.Entry<String, long[]> rule : rules.entrySet()) {
            json.append(separator).append('"').append(rule.getKey()).append("\":{\"payments\":").append(rule.getValue()[0]);
            json.append(",\"accountAlerts\":").append(rule.getValue()[1]).append('}');
            separator = ",";
        }
        return json.append("}}").toString();
    }
}
