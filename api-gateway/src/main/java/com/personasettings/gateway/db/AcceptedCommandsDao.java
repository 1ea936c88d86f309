package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.List;
import java.util.UUID;

/** Commands answered with 202, so their status can be reported as pending by any gateway instance. */
public interface AcceptedCommandsDao {

    /** One transaction for all the rows (a {@code @SqlBatch} is transactional). */
    @SqlBatch("insert into accepted_commands (command_id, org_id) values (:commandId, :orgId) on conflict do nothing")
    void insertAll(@Bind("commandId") List<UUID> commandIds, @Bind("orgId") List<UUID> orgIds);

    @SqlQuery("select exists (select 1 from accepted_commands where command_id = :commandId and org_id = :orgId)")
    boolean exists(@Bind("orgId") UUID orgId, @Bind("commandId") UUID commandId);
}
