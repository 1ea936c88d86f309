package com.personasettings.processor;

import com.personasettings.processor.db.Repository;
import com.personasettings.devstack.Postgres;
import org.postgresql.ds.PGSimpleDataSource;

/** Test access to a processor database. */
final class TestDatabase {

    private TestDatabase() {
    }

    static PGSimpleDataSource dataSource(String jdbcUrl) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(Postgres.USER);
        return dataSource;
    }

    static Repository repository(String jdbcUrl) {
        return new Repository(dataSource(jdbcUrl));
    }

    static long outcomeRowsFor(Repository repository, String phone) {
        return repository.outcomes().countFor(phone);
    }
}
