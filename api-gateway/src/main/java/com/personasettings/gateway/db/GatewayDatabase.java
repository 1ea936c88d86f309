package com.personasettings.gateway.db;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import javax.sql.DataSource;

/** The gateway's view of PostgreSQL: its own tables (migrated here) and the processor's, read only. */
public final class GatewayDatabase {

    private final Jdbi jdbi;

    public GatewayDatabase(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    }

    /** The gateway keeps its own migration history, apart from the processor's. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/gateway")
                .table("gateway_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load().migrate();
    }

    public PersonasDao personas() {
        return jdbi.onDemand(PersonasDao.class);
    }

    public NumbersReadDao numbers() {
        return jdbi.onDemand(NumbersReadDao.class);
    }

    public AccountsDao accounts() {
        return jdbi.onDemand(AccountsDao.class);
    }

    public IdempotencyKeysDao idempotencyKeys() {
        return jdbi.onDemand(IdempotencyKeysDao.class);
    }

    public AcceptedCommandsDao acceptedCommands() {
        return jdbi.onDemand(AcceptedCommandsDao.class);
    }
}
