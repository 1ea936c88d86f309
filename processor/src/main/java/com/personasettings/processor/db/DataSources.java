package com.personasettings.processor.db;

import com.zaxxer.hikari.HikariConfig;

/** Connection pool settings every writer of the processor's tables wants. */
public final class DataSources {

    private DataSources() {
    }

    public static HikariConfig postgres(String url, String user, String password, String poolName, int poolSize) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setPoolName(poolName);
        hikari.setMaximumPoolSize(poolSize);
        // Multi-row INSERTs from JDBC batches: one statement per batch instead of one per row.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        return hikari;
    }
}
