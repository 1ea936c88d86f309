package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Orgs and their API keys (stored as hashes only). */
public interface AccountsDao {

    @SqlUpdate("insert into orgs (id, name) values (:id, :name)")
    void insertOrg(@Bind("id") UUID id, @Bind("name") String name);

    @SqlQuery("select exists (select 1 from orgs where id = :id)")
    boolean orgExists(@Bind("id") UUID id);

    @SqlUpdate("""
            insert into api_keys (id, org_id, key_hash, label, expires_at)
            values (:id, :orgId, :keyHash, :label, :expiresAt)
            """)
    void insertKey(@Bind("id") UUID id, @Bind("orgId") UUID orgId, @Bind("keyHash") String keyHash,
                   @Bind("label") String label, @Bind("expiresAt") Instant expiresAt);

    /** The key's org, if the key authenticates: neither revoked nor expired. */
    @SqlQuery("""
            select id, org_id from api_keys
            where key_hash = :keyHash and revoked_at is null and (expires_at is null or expires_at > now())
            """)
    @RegisterConstructorMapper(KeyRow.class)
    Optional<KeyRow> keyByHash(@Bind("keyHash") String keyHash);

    /** The org's keys, oldest first, without their hashes. */
    @SqlQuery("""
            select id, label, created_at, expires_at, revoked_at from api_keys
            where org_id = :orgId order by created_at, id
            """)
    @RegisterConstructorMapper(KeyInfo.class)
    List<KeyInfo> keys(@Bind("orgId") UUID orgId);

    /** @return 1 if this call revoked the key, 0 if there is no such key or it was revoked already */
    @SqlUpdate("update api_keys set revoked_at = now() where id = :id and revoked_at is null")
    int revokeKey(@Bind("id") UUID id);

    /** A key as an operator sees it: never the key, nor its hash. */
    record KeyInfo(UUID id, String label, Instant createdAt, Instant expiresAt, Instant revokedAt) {
    }

    @SqlQuery("select nextval('inbound_number_ids')")
    long nextNumberId();

    record KeyRow(UUID id, UUID orgId) {
    }
}
