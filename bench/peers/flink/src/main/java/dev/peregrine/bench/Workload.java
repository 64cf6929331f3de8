package dev.peregrine.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a workload file (the format is described in bench/peers/workload.ts) into memory. */
public final class Workload {
    private static final int MAGIC = 0x50474c57;
    private static final int VERSION = 1;
    private static final int NULL_TEXT = 0xffff;

    private Workload() {}

    public static Event[] read(Path path) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 20))) {
            if (in.readInt() != MAGIC) throw new IOException(path + " is not a workload file");
            int version = in.readInt();
            if (version != VERSION) throw new IOException(path + " is workload format " + version + "; this reader knows " + VERSION);
            Event[] events = new Event[in.readInt()];
            long[] offsets = new long[3];
            for (int i = 0; i < events.length; i++) events[i] = readEvent(in, offsets);
            if (in.read() != -1) throw new IOException(path + " has bytes after its last record");
            return events;
        }
    }

    private static Event readEvent(DataInputStream in, long[] offsets) throws IOException {
        Event e = new Event();
        e.kind = in.readByte();
        e.offset = offsets[e.kind]++;
        switch (e.kind) {
            case Event.PROFILE -> {
                e.accountId = text(in);
                e.eventTime = in.readLong();
                e.homeCountry = text(in);
                e.homeLat = in.readDouble();
                e.homeLon = in.readDouble();
                e.riskTier = text(in);
                e.creditLimitMinor = in.readLong();
                e.currency = text(in);
                e.emailFingerprint = text(in);
                e.phoneFingerprint = text(in);
                e.openedAt = in.readLong();
            }
            case Event.AUTH -> {
                e.eventId = text(in);
                e.accountId = text(in);
                e.type = text(in);
                e.deviceId = text(in);
                e.ip = text(in);
                e.country = text(in);
                e.eventTime = in.readLong();
            }
            case Event.TRANSACTION -> {
                e.transactionId = text(in);
                e.accountId = text(in);
                e.cardId = text(in);
                e.merchantId = text(in);
                e.mcc = text(in);
                e.amountMinor = in.readLong();
                e.currency = text(in);
                e.country = text(in);
                e.lat = in.readDouble();
                e.lon = in.readDouble();
                e.channel = text(in);
                e.deviceId = text(in);
                e.ip = text(in);
                e.authStatus = text(in);
                e.eventTime = in.readLong();
            }
            default -> throw new IOException("unknown record kind " + e.kind);
        }
        return e;
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        if (length == NULL_TEXT) return null;
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
