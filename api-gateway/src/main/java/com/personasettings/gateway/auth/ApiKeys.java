package com.personasettings.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.personasettings.gateway.db.AccountsDao;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys: 32 random bytes, shown once; only their SHA-256 is stored. A fast hash is right here (unlike
 * passwords): the key has 256 bits of entropy, so there is nothing to brute-force.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "ps_";

    private final AccountsDao accounts;
    /** Key hash → caller (also unknown hashes, so a flood of bad keys spares the database). Short-lived, so a revoked key stops working within a minute. */
    private final Cache<String, Optional<Caller>> callers = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    public ApiKeys(AccountsDao accounts) {
        this.accounts = accounts;
    }

    /** Creates a key for the org and returns it; this is the only time it exists in clear. */
    public String create(UUID orgId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        accounts.insertKey(UUID.randomUUID(), orgId, hash(key));
        return key;
    }

    /** Who is calling with this key, if it is a key at all. */
    public Optional<Caller> callerOf(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() > 100) {
            return Optional.empty();
        }
        return callers.get(hash(key), hash -> accounts.keyByHash(hash).map(k -> new Caller(k.orgId(), k.id())));
    }

    static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
