package com.personasettings.processor.db;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/** Tells a database that is (briefly) unavailable, a record it will never accept, and everything else apart. */
final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /**
     * Connection failures (SQLSTATE class 08), rolled-back transactions such as deadlocks and serialization
     * failures (40), insufficient resources (53), server shutdowns (57P) and cancelled statements (57014, our
     * statement timeout), and the driver's and pool's transient exceptions: worth retrying.
     */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
        }
        return sqlState(error).filter(state -> state.startsWith("08") || state.startsWith("40")
                || state.startsWith("53") || state.startsWith("57P") || state.equals("57014")).isPresent();
    }

    /**
     * Data exceptions (SQLSTATE class 22: a value the column cannot hold), integrity constraint violations (23)
     * and program limits (54: a value too large for an index row): the fault of a row, so of the record that
     * produced it. Anything else that is not transient (a missing table, a permission, a bug in the SQL) is the
     * deployment's fault and no record is to blame.
     */
    static boolean isRecordsFault(Throwable error) {
        return sqlState(error).filter(state -> state.startsWith("22") || state.startsWith("23")
                || state.startsWith("54")).isPresent();
    }

    /** "SQLSTATE 22P05: unsupported Unicode escape sequence", or the exception itself when it carries none. */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                // A JDBC batch reports "Batch entry N <statement> was aborted"; the server's words come next.
                SQLException server = sql instanceof BatchUpdateException && sql.getNextException() != null
                        ? sql.getNextException() : sql;
                String message = String.valueOf(server.getMessage()).lines().findFirst().orElse("");
                return "SQLSTATE " + server.getSQLState() + ": " + message;
            }
        }
        return String.valueOf(error);
    }

    private static Optional<String> sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }
}
