package com.personasettings.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The one way anything here opens PostgreSQL: a HikariCP pool, shaped by the caller's {@link Pool}. */
public final class DataSources {

    private DataSources() {
    }

    /** A pool of connections to {@code database}; close it when done. */
    public static HikariDataSource pooled(Database database, Pool pool) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(database.url());
        hikari.setUsername(database.user());
        hikari.setPassword(database.password());
        hikari.setPoolName(pool.name());
        hikari.setMaximumPoolSize(pool.size());
        hikari.setConnectionTimeout(pool.connectionTimeout().toMillis());
        if (pool.opensWithoutDatabase()) {
            // -1: do not even try a first connection at start; the pool fills when connections are asked for.
            hikari.setInitializationFailTimeout(-1);
        }
        // READ COMMITTED, set once per connection whatever the server's default: what the processor's batches and the
        // gateway's statements are written for (Repository says why it is enough). Naming it per transaction instead
        // (Jdbi's useTransaction(level, ...)) costs three round trips each time: read the level, set it, set it back.
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Multi-row INSERTs from JDBC batches: one statement per batch instead of one per row.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (pool.statementTimeout() != null) {
            hikari.addDataSourceProperty("options", "-c statement_timeout=" + pool.statementTimeout().toMillis());
        }
        if (pool.socketTimeout() != null) {
            hikari.addDataSourceProperty("socketTimeout", String.valueOf(pool.socketTimeout().toSeconds())); // seconds
        }
        return new HikariDataSource(hikari);
    }
}
