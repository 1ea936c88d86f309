package com.personasettings.gateway.db;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.UUID;

/** Commands answered with 202, so their status can be reported as pending by any gateway instance. */
public interface AcceptedCommandsDao {

    @SqlUpdate("insert into accepted_commands (command_id, org_id) values (:commandId, :orgId) on conflict do nothing")
    void insert(@Bind("commandId") UUID commandId, @Bind("orgId") UUID orgId);

    @SqlQuery("select exists (select 1 from accepted_commands where command_id = :commandId and org_id = :orgId)")
    boolean exists(@Bind("orgId") UUID orgId, @Bind("commandId") UUID commandId);
}
