package com.personasettings.gateway.http;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs for command ids, as {@link UUID#randomUUID()} makes them but without its one
 * JVM-wide generator: that one reads /dev/urandom under a global lock, and on two cores under load every
 * request thread queued on it (hundreds of waits over 10 ms a second in a JFR recording). Each thread here
 * has its own DRBG, seeded from the system's entropy; the ids stay unguessable and collision-free, which
 * matters because the processor answers a repeated command id with the first command's outcome.
 */
final class RandomIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(RandomIds::drbg);

    private RandomIds() {
    }

    static UUID next() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);    // version 4: random
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);    // the IETF variant
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM since 9 has DRBG", e);
        }
    }
}
