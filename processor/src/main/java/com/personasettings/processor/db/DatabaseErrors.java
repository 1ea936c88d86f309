package com.personasettings.processor.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Tells a database that is (briefly) unavailable from a write it will never accept. */
final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /**
     * Connection failures (SQLSTATE class 08), rolled-back transactions such as deadlocks and serialization
     * failures (40), insufficient resources (53) and server shutdowns (57P), and the driver's and pool's
     * transient exceptions: worth retrying. Anything else (bad data, a bug in the SQL) is not.
     */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }
}
