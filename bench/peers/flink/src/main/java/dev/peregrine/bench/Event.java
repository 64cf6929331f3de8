package dev.peregrine.bench;

/**
 * One record of the workload: a profile version, an auth event or a transaction, as one flat
 * POJO with a kind tag. Flink serializes POJOs field by field with its own serializer; one class
 * for the three kinds keeps the keyed stream's type a POJO rather than a generic (Kryo) type.
 * Fields a kind does not have stay at their defaults.
 */
public class Event {
    public static final byte PROFILE = 0;
    public static final byte AUTH = 1;
    public static final byte TRANSACTION = 2;

    public byte kind;
    /** Position among the records of its kind: the order of records of one kind at equal event time. */
    public long offset;
    public String accountId;
    /** updatedAt for a profile version. */
    public long eventTime;

    // Profile version.
    public String homeCountry;
    public double homeLat;
    public double homeLon;
    public String riskTier;
    public long creditLimitMinor;
    public String emailFingerprint;
    public String phoneFingerprint;
    public long openedAt;

    // Auth event.
    public String eventId;
    public String type;

    // Transaction (currency and country are a profile's and an auth event's too).
    public String transactionId;
    public String cardId;
    public String merchantId;
    public String mcc;
    public long amountMinor;
    public String currency;
    public String country;
    public double lat;
    public double lon;
    public String channel;
    public String deviceId;
    public String ip;
    public String authStatus;

    public Event() {}
}
