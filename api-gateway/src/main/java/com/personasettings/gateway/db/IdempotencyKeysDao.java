package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.UUID;

/** The first request each Idempotency-Key of an org was sent with. */
public interface IdempotencyKeysDao {

    /**
     * Records the key's request if the key is new, in one statement that two concurrent requests cannot both win;
     * returns the fingerprint the key is bound to (this one, or the first request's). The no-op update makes
     * {@code returning} give the existing row on a conflict.
     */
    @SqlQuery("""
            insert into idempotency_keys (org_id, key, fingerprint) values (:orgId, :key, :fingerprint)
            on conflict (org_id, key) do update set key = idempotency_keys.key
            returning fingerprint
            """)
    String claim(@Bind("orgId") UUID orgId, @Bind("key") String key, @Bind("fingerprint") String fingerprint);
}
