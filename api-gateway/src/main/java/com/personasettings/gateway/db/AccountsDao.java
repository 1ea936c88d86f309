package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;
import java.util.UUID;

/** Orgs and their API keys (stored as hashes only). */
public interface AccountsDao {

    @SqlUpdate("insert into orgs (id, name) values (:id, :name)")
    void insertOrg(@Bind("id") UUID id, @Bind("name") String name);

    @SqlQuery("select exists (select 1 from orgs where id = :id)")
    boolean orgExists(@Bind("id") UUID id);

    @SqlUpdate("insert into api_keys (id, org_id, key_hash) values (:id, :orgId, :keyHash)")
    void insertKey(@Bind("id") UUID id, @Bind("orgId") UUID orgId, @Bind("keyHash") String keyHash);

    @SqlQuery("select id, org_id from api_keys where key_hash = :keyHash")
    @RegisterConstructorMapper(KeyRow.class)
    Optional<KeyRow> keyByHash(@Bind("keyHash") String keyHash);

    @SqlQuery("select nextval('inbound_number_ids')")
    long nextNumberId();

    record KeyRow(UUID id, UUID orgId) {
    }
}
