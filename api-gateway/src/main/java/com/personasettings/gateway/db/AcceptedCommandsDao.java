package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Requests answered with 202 and their commands, so that any gateway instance can report them: a request by its
 * id ({@code /v1/requests/{id}}), a command by its own ({@code /v1/commands/{id}}).
 */
public interface AcceptedCommandsDao {

    /** The requests and all their commands in one transaction. */
    @Transaction
    default void insertAll(List<RequestRow> requests) {
        insertRequests(requests);
        List<UUID> ids = requests.stream().flatMap(r -> r.commandIds().stream()).toList();
        List<UUID> orgs = requests.stream().flatMap(r -> r.commandIds().stream().map(id -> r.orgId())).toList();
        insertCommands(ids, orgs);
    }

    /** A retry with the same Idempotency-Key has the same request id and commands: nothing new to record. */
    @SqlBatch("""
            insert into requests (id, org_id, kind, persona_id, command_ids)
            values (:id, :orgId, :kind, :personaId, :commandIds) on conflict do nothing
            """)
    void insertRequests(@BindMethods List<RequestRow> requests);

    @SqlBatch("insert into accepted_commands (command_id, org_id) values (:commandId, :orgId) on conflict do nothing")
    void insertCommands(@Bind("commandId") List<UUID> commandIds, @Bind("orgId") List<UUID> orgIds);

    @SqlQuery("select exists (select 1 from accepted_commands where command_id = :commandId and org_id = :orgId)")
    boolean exists(@Bind("orgId") UUID orgId, @Bind("commandId") UUID commandId);

    @SqlQuery("select id, org_id, kind, persona_id, command_ids from requests where id = :id and org_id = :orgId")
    @RegisterConstructorMapper(RequestRow.class)
    Optional<RequestRow> request(@Bind("orgId") UUID orgId, @Bind("id") UUID id);
}
