package com.personasettings.platform;

import java.time.Duration;

/**
 * What a caller needs of its connection pool; {@link DataSources#pooled} does the rest the same way for everyone.
 *
 * @param name              names the pool's threads and log lines
 * @param size              the most connections open at once
 * @param connectionTimeout how long taking a connection may wait (for a free one, or for PostgreSQL to answer)
 *                          before it fails; HikariCP's default is 30 s
 * @param opensWithoutDatabase open the pool even when PostgreSQL cannot be reached right now (connections are
 *                          made when asked for); otherwise opening fails at once
 * @param statementTimeout  the server cancels a statement running longer than this; null: no limit
 * @param socketTimeout     the driver gives up on a read from the server after this; null: no limit
 */
public record Pool(String name, int size, Duration connectionTimeout, boolean opensWithoutDatabase,
                   Duration statementTimeout, Duration socketTimeout) {

    /** HikariCP's defaults but for the name and size: wait up to 30 s for a connection, fail to open without one. */
    public static Pool of(String name, int size) {
        return new Pool(name, size, Duration.ofSeconds(30), false, null, null);
    }

    public Pool connectionTimeout(Duration timeout) {
        return new Pool(name, size, timeout, opensWithoutDatabase, statementTimeout, socketTimeout);
    }

    public Pool openWithoutDatabase() {
        return new Pool(name, size, connectionTimeout, true, statementTimeout, socketTimeout);
    }

    public Pool statementTimeout(Duration timeout) {
        return new Pool(name, size, connectionTimeout, opensWithoutDatabase, timeout, socketTimeout);
    }

    public Pool socketTimeout(Duration timeout) {
        return new Pool(name, size, connectionTimeout, opensWithoutDatabase, statementTimeout, timeout);
    }
}
