package com.personasettings.gateway.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.personasettings.gateway.db.AccountsDao;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * API keys: 32 random bytes, shown once; only their SHA-256 is stored. A fast hash is right here (unlike
 * passwords): the key has 256 bits of entropy, so there is nothing to brute-force.
 */
public final class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "ps_";

    /** How long a lookup is trusted before it is checked again, unless configured otherwise. */
    public static final Duration DEFAULT_CHECK = Duration.ofMinutes(1);
    /** Checks run off the request threads; two, so that one slow database call does not hold up the others. */
    private static final Executor CHECKS = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "api-key-checks");
        thread.setDaemon(true);
        return thread;
    });

    private final AccountsDao accounts;
    /**
     * Key hash → caller (also unknown hashes, so a flood of bad keys spares the database). A lookup older than
     * {@code check} is checked again in the background while the caller keeps being served: a key in use never
     * waits for PostgreSQL, and a check that fails (PostgreSQL down) keeps the last answer. Forgotten after ten
     * times that, so a long outage fails closed and a revoked key stops working within about {@code check}.
     */
    private final LoadingCache<String, Optional<Caller>> callers;
    /** Key lookups that reached the database, background re-checks included. */
    private final LongAdder lookups = new LongAdder();

    public ApiKeys(AccountsDao accounts, Duration check) {
        this.accounts = accounts;
        this.callers = Caffeine.newBuilder()
                .maximumSize(100_000)
                .refreshAfterWrite(check)
                .expireAfterWrite(check.multipliedBy(10))
                .executor(CHECKS)
                .build(hash -> {
                    lookups.increment();
                    return accounts.keyByHash(hash).map(k -> new Caller(k.orgId(), k.id()));
                });
    }

    /** How many key lookups have reached the database so far. */
    public long databaseLookups() {
        return lookups.sum();
    }

    /** A key in clear, shown this once, and the id that names it from then on (list, revoke, command actors). */
    public record NewKey(UUID id, String key) {
    }

    /**
     * Creates a key for the org.
     *
     * @param label     what the key is for, or null
     * @param expiresAt when it stops working by itself, or null for never
     */
    public NewKey create(UUID orgId, String label, Instant expiresAt) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        UUID id = UUID.randomUUID();
        accounts.insertKey(id, orgId, hash(key), label, expiresAt);
        return new NewKey(id, key);
    }

    /**
     * The caller of a key already looked up and found valid, without asking the database: what a rate-limited
     * client address may still use. Empty for a key not looked up yet, or found invalid.
     */
    public Optional<Caller> knownCaller(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() > 100) {
            return Optional.empty();
        }
        Optional<Caller> known = callers.getIfPresent(hash(key));
        return known == null ? Optional.empty() : known;
    }

    /** Who is calling with this key, if it is a key at all; a key not looked up yet costs a database query. */
    public Optional<Caller> callerOf(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() > 100) {
            return Optional.empty();
        }
        return callers.get(hash(key));
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
