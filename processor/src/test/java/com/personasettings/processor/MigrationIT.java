package com.personasettings.processor;

import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.OutcomeRow;
import com.personasettings.processor.db.Repository;
import com.personasettings.testkit.SharedInfrastructure;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** V4 on real PostgreSQL: org ids held as text become uuid with their data, or the migration says which rows stop it. */
class MigrationIT {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final String ORG = "01010101-0000-4000-8000-000000000001";
    private static final String OTHER_ORG = "02020202-0000-4000-8000-000000000002";

    @Test
    void textOrgIdsBecomeUuidsWithTheirData() {
        DataSource dataSource = atVersion3();
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(handle -> {
            handle.execute(number("+14155557000", ORG));
            handle.execute(number("+14155557001", OTHER_ORG));
            handle.execute("""
                    insert into inbound_numbers (phone_number, updated_at, source_offset, released)
                    values ('+14155557002', '2026-01-01T00:00:00Z', 9, true)""");                 // a tombstone
            handle.execute(outcome("00000000-0000-0000-0000-000000000001", "+14155557000", ORG));
            handle.execute(outcome("00000000-0000-0000-0000-000000000002", "+14155557001", OTHER_ORG));
        });

        Repository.migrate(dataSource);

        Repository repository = new Repository(dataSource);
        NumberRow number = repository.numbers().find("+14155557000").orElseThrow();
        assertThat(number.orgId()).isEqualTo(UUID.fromString(ORG));
        assertThat(number.label()).isEqualTo("line");
        assertThat(repository.numbers().find("+14155557001").orElseThrow().orgId()).isEqualTo(UUID.fromString(OTHER_ORG));
        assertThat(repository.numbers().find("+14155557002").orElseThrow().orgId()).isNull();
        OutcomeRow outcome = repository.outcomes().find(UUID.fromString("00000000-0000-0000-0000-000000000002")).orElseThrow();
        assertThat(outcome.orgId()).isEqualTo(UUID.fromString(OTHER_ORG));
        assertThat(outcome.actor()).isEqualTo("ops");
        assertThat(text(jdbi, """
                select string_agg(table_name || '.' || data_type, ',' order by table_name) from information_schema.columns
                where column_name = 'org_id' and table_name in ('inbound_numbers', 'command_outcomes')"""))
                .isEqualTo("command_outcomes.uuid,inbound_numbers.uuid");
    }

    @Test
    void orgIdsThatAreNotLowerCaseUuidsStopTheMigrationWithTheirCount() {
        DataSource dataSource = atVersion3();
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(handle -> {
            handle.execute(number("+14155557100", ORG));
            handle.execute(number("+14155557101", "org-1"));
            handle.execute(outcome("00000000-0000-0000-0000-000000000011", "+14155557100", ORG));
            handle.execute(outcome("00000000-0000-0000-0000-000000000012", "+14155557101", "org-1"));
            handle.execute(outcome("00000000-0000-0000-0000-000000000013", "+14155557101", "0A0A0A0A-0000-4000-8000-00000000000A"));
            handle.execute(outcome("00000000-0000-0000-0000-000000000014", "+14155557101", "org\uFFFD"));
        });

        assertThatThrownBy(() -> Repository.migrate(dataSource))
                .hasStackTraceContaining("org_id cannot become uuid: 1 rows of inbound_numbers and 3 rows of "
                        + "command_outcomes hold an org_id that is not a lower-case UUID");

        // Nothing changed: the columns are still text, the rows as they were, and version 4 is not recorded.
        assertThat(text(jdbi, "select org_id from inbound_numbers where phone_number = '+14155557101'"))
                .isEqualTo("org-1");
        assertThat(text(jdbi, "select max(version) from flyway_schema_history where success")).isEqualTo("3");
    }

    private static DataSource atVersion3() {
        String url = SharedInfrastructure.postgres().createDatabase("migration_it_" + DATABASES.incrementAndGet());
        DataSource dataSource = TestDatabase.dataSource(url);
        Flyway.configure().dataSource(dataSource).target("3").load().migrate();
        return dataSource;
    }

    private static String text(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    private static String number(String phone, String org) {
        return "insert into inbound_numbers (phone_number, id, org_id, label, updated_at, source_offset) values ('"
                + phone + "', 1, '" + org + "', 'line', '2026-01-01T00:00:00Z', 1)";
    }

    private static String outcome(String commandId, String phone, String org) {
        return "insert into command_outcomes values ('" + commandId + "', '" + phone + "', '" + org
                + "', 'ProvisionNumber', 'ops', '2026-01-01T00:00:00Z', '{}', 0, 1, true, '{}')";
    }
}
