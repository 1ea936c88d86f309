package com.personasettings.torture;

import java.util.List;

/**
 * Violations the ledger finds that are known bugs, reported to their owners and not fixed yet. Each is still
 * printed, with its cause; a run with no other violation passes only when the caller allows known issues
 * ({@code --allow-known-issues}). Remove an entry once its fix has landed: from then on the ledger fails on it.
 */
enum KnownIssue {

    /**
     * The gateway reads PostgreSQL before it publishes (an attach looks up the persona and the numbers, a key not in
     * the cache is looked up), and when that read fails because PostgreSQL is down, {@code HttpApi}'s catch-all
     * answers 500 INTERNAL_ERROR. Nothing was published, so the answer should be 503 SERVICE_UNAVAILABLE in
     * Bland's envelope (a database error of SQLSTATE class 08 or 57P, or a pool timeout, mapped before the catch-all).
     */
    GATEWAY_500_WHEN_DATABASE_DOWN("the gateway answers 500, not 503, when a read of PostgreSQL fails while it is"
            + " down (HttpApi maps every unexpected exception to 500)");

    /** How long after PostgreSQL is back a failed read is still blamed on the outage (a pooled connection's check). */
    private static final long SLACK_MILLIS = 5_000;

    final String description;

    KnownIssue(String description) {
        this.description = description;
    }

    /** The known issue a 5xx answer is, or null. */
    static KnownIssue of(Attempt attempt, List<Phase> phases) {
        boolean internalError = attempt.status() == 500 && attempt.body() != null
                && attempt.body().contains("\"INTERNAL_ERROR\"");
        boolean databaseDown = phases.stream().anyMatch(p -> p.name().equals(Faults.POSTGRES_OUTAGE)
                && p.overlapsOutage(attempt.sentAt(), attempt.endedAt(), SLACK_MILLIS));
        return internalError && databaseDown ? GATEWAY_500_WHEN_DATABASE_DOWN : null;
    }
}
