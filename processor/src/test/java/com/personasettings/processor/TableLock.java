package com.personasettings.processor;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds an exclusive lock on a table from a separate connection, so a test can freeze the processor's
 * database write at a known point and see what happens meanwhile.
 */
final class TableLock implements AutoCloseable {

    private final Connection connection;

    private TableLock(Connection connection) {
        this.connection = connection;
    }

    static TableLock exclusive(String jdbcUrl, String table) throws SQLException {
        Connection connection = TestDatabase.dataSource(jdbcUrl).getConnection();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table " + table + " in access exclusive mode");
        }
        return new TableLock(connection);
    }

    /** Whether another session is blocked waiting for a lock (the processor's write). */
    boolean hasWaiters() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from pg_locks where not granted")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.rollback();
        connection.close();
    }
}
