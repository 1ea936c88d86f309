package com.personasettings.gateway.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Tells "PostgreSQL cannot be reached right now" apart from other failures of a request. */
public final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    /**
     * True for the pool's timeout waiting for a connection, the driver's connection failures (SQLSTATE class 08),
     * a server shutting down (57P) and the JDBC transient and recoverable exceptions, anywhere in the causes.
     */
    public static boolean is(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof org.jdbi.v3.core.ConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
