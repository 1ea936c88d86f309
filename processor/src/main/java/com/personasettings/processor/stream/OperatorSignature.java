package com.personasettings.processor.stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * What makes a command on the public commands topic an operator's: an HMAC-SHA256 of its value, which the processor
 * adds to what it copies from the operator topic, under a key only the processor (and its replay) holds. Writing the
 * operator topic is what the broker's ACLs restrict; the signature carries that authority onto the shared log, so the
 * log stays the one ordered, replayable sequence of commands.
 *
 * <p>Without a key (development, tests, a deployment not yet cut over) every command counts as the operator's: the
 * behaviour before the operator topic existed.
 */
public final class OperatorSignature {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    private OperatorSignature(SecretKeySpec key) {
        this.key = key;
    }

    /** @param secret the signing key (at least 32 bytes of it count) */
    public static OperatorSignature withKey(String secret) {
        byte[] bytes = secret.strip().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("the operator signing key must be at least 32 bytes");
        }
        return new OperatorSignature(new SecretKeySpec(bytes, ALGORITHM));
    }

    /** No key: operator commands are accepted from either topic. */
    public static OperatorSignature none() {
        return new OperatorSignature(null);
    }

    public boolean required() {
        return key != null;
    }

    /** The signature of a value; empty when there is no key. */
    public byte[] sign(byte[] value) {
        if (key == null) {
            return new byte[0];
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether a command with this value and signature header (null when absent) is the operator's. */
    public boolean isOperators(byte[] value, byte[] signature) {
        if (key == null) {
            return true;
        }
        // Constant time: the comparison must not tell a forger how many leading bytes were right.
        return signature != null && value != null && MessageDigest.isEqual(sign(value), signature);
    }
}
