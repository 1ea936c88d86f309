package com.personasettings.processor;

import com.personasettings.processor.db.Verdict;
import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.OutcomeRow;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.db.Rows;
import com.personasettings.processor.db.WriteBatch;
import com.personasettings.testkit.SharedInfrastructure;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The processor's writes on a real PostgreSQL: the offset guard, tombstones, finding the rows it refuses. */
class RepositoryIT {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");
    private static final UUID ORG = UUID.fromString("01010101-0000-4000-8000-000000000001");

    @Test
    void aReleasedNumberCannotBeBroughtBackByAnOlderWrite() {
        Repository repository = fresh();
        String phone = "+14155554000";
        write(repository, number(phone, 10));
        write(repository, Rows.tombstone(phone, AT, 20));

        // A stale writer (an instance that lost the partition, a batch processed again with other boundaries)
        // still holds the state from offset 15. Before tombstones, the release had deleted the row, and this
        // insert brought the number back.
        write(repository, number(phone, 15));

        NumberRow row = repository.numbers().find(phone).orElseThrow();
        assertThat(row.released()).isTrue();
        assertThat(row.sourceOffset()).isEqualTo(20);
        assertThat(Rows.state(row)).isNull();
    }

    @Test
    void aNumberProvisionedAgainAfterItsReleaseIsBackWithItsNewState() {
        Repository repository = fresh();
        String phone = "+14155554001";
        write(repository, number(phone, 10));
        write(repository, Rows.tombstone(phone, AT, 20));
        write(repository, number(phone, 30));

        NumberRow row = repository.numbers().find(phone).orElseThrow();
        assertThat(row.released()).isFalse();
        assertThat(row.sourceOffset()).isEqualTo(30);
    }

    @Test
    void theRowsPostgresRefusesAreFoundOneByOneAndTheRestWouldCommit() throws Exception {
        Repository repository = fresh();
        try (var connection = repository.jdbi().open()) {
            connection.execute("alter table command_outcomes add constraint no_bad_actor check (actor <> 'bad')");
            connection.execute("alter table inbound_numbers add constraint no_bad_label check (label <> 'bad')");
        }
        WriteBatch batch = new WriteBatch();
        batch.addOutcome(outcome("+14155554100", "good", 1, 100));
        batch.addOutcome(outcome("+14155554101", "bad", 1, 101));
        batch.changeNumber(number("+14155554102", 102, "bad"), 2);
        batch.changeNumber(number("+14155554103", 103), 2);
        assertThatThrownBy(() -> repository.write(batch)).hasRootCauseMessage(rootCause(repository, batch));

        List<Verdict.Refused> refused = repository.refused(batch);

        assertThat(refused).extracting(Verdict.Refused::sourcePartition, Verdict.Refused::sourceOffset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 101L), org.assertj.core.groups.Tuple.tuple(2, 102L));
        assertThat(refused).allSatisfy(r -> assertThat(r.reason()).startsWith("SQLSTATE 23514: "));
        assertThat(repository.outcomes().count()).isZero(); // the probe wrote nothing
        assertThat(repository.numbers().find("+14155554103")).isEmpty();
    }

    @Test
    void numbersReleasedBeforeTheTombstoneMigrationGetTheirTombstone() {
        String url = SharedInfrastructure.postgres().createDatabase("repository_it_" + DATABASES.incrementAndGet());
        DataSource dataSource = TestDatabase.dataSource(url);
        Flyway.configure().dataSource(dataSource).target("2").load().migrate();
        Repository old = new Repository(dataSource);
        try (var handle = old.jdbi().open()) {
            // What the code before tombstones left: the release's outcome row, and no number row.
            handle.createUpdate("""
                    insert into command_outcomes values ('00000000-0000-0000-0000-000000000001', '+14155554200', '01010101-0000-4000-8000-000000000001',
                      'ProvisionNumber', 'ops', '2026-01-01T00:00:00Z', '{}', 3, 7, true, :provisioned::jsonb),
                     ('00000000-0000-0000-0000-000000000002', '+14155554200', '01010101-0000-4000-8000-000000000001',
                      'ReleaseNumber', 'ops', '2026-01-02T00:00:00Z', '{}', 3, 9, true, :provisioned::jsonb)""")
                    // Both answered with the number as provisioned (a release shows what it released).
                    .bind("provisioned", """
                            {"data": {"id": 1, "phone_number": "+14155554200", "persona_id": null,
                                      "persona_settings": null, "updated_at": "2026-01-01T00:00:00.000Z"},
                             "errors": null}""")
                    .execute();
        }

        Repository.migrate(dataSource);

        NumberRow tombstone = old.numbers().find("+14155554200").orElseThrow();
        assertThat(tombstone).isEqualTo(Rows.tombstone("+14155554200", Instant.parse("2026-01-02T00:00:00Z"), 9));
    }

    private static String rootCause(Repository repository, WriteBatch batch) {
        try {
            repository.write(batch);
            return "";
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage();
        }
    }

    private static Repository fresh() {
        String url = SharedInfrastructure.postgres().createDatabase("repository_it_" + DATABASES.incrementAndGet());
        DataSource dataSource = TestDatabase.dataSource(url);
        Repository.migrate(dataSource);
        return new Repository(dataSource);
    }

    private static void write(Repository repository, NumberRow row) {
        WriteBatch batch = new WriteBatch();
        batch.changeNumber(row, 0);
        repository.write(batch);
    }

    private static NumberRow number(String phone, long offset) {
        return number(phone, offset, "line");
    }

    private static NumberRow number(String phone, long offset, String label) {
        return new NumberRow(phone, offset, ORG, label, null, null, AT, offset, false);
    }

    private static OutcomeRow outcome(String phone, String actor, int partition, long offset) {
        return new OutcomeRow(UUID.randomUUID(), phone, ORG, "ProvisionNumber", actor, AT, "{}", partition, offset,
                true, "{}", null);
    }
}
