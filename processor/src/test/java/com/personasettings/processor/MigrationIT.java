package com.personasettings.processor;

import com.personasettings.domain.ApiError;
import com.personasettings.domain.Change;
import com.personasettings.domain.Command;
import com.personasettings.domain.NumberState;
import com.personasettings.domain.Outcome;
import com.personasettings.domain.Settings;
import com.personasettings.processor.db.NumberRow;
import com.personasettings.processor.db.OutcomeRow;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.db.Rows;
import com.personasettings.processor.db.Verdict;
import com.personasettings.processor.db.WriteBatch;
import com.personasettings.testkit.SharedInfrastructure;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migrations of existing data on real PostgreSQL. V4: org ids held as text become uuid with their data, or the
 * migration says which rows stop it. V5: outcomes stored as Bland's envelope become the contract's result and errors.
 */
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

    @Test
    void envelopesBecomeTheContractsResultWithOrgAndLabelAndErrors() {
        DataSource dataSource = atVersion("4");
        Jdbi jdbi = Jdbi.create(dataSource);
        String phone = "+14155557200";
        String unlabelled = "+14155557201";
        jdbi.useHandle(handle -> {
            // The number was provisioned as 6 and released, then provisioned again as 7 with another label.
            old(handle, ids(1), phone, "ProvisionNumber", 0, "{\"number_id\": 6, \"label\": \"old desk\"}",
                    data(6, phone, null, null, "2026-01-01T00:00:00.000Z"));
            old(handle, ids(2), phone, "ReleaseNumber", 1, "{}", data(6, phone, null, null, "2026-01-01T00:00:00.000Z"));
            old(handle, ids(3), phone, "ProvisionNumber", 2, "{\"number_id\": 7, \"label\": \"front desk\"}",
                    data(7, phone, null, null, "2026-01-02T00:00:00.000Z"));
            old(handle, ids(4), phone, "UpdatePersonaSettings", 3,
                    "{\"persona_id\": \"p1\", \"persona_settings\": {\"pathway_id\": \"pw\", \"pathway_version\": 3}}",
                    data(7, phone, "\"p1\"", "{\"pathway_id\": \"pw\", \"pathway_version\": 3}",
                            "2026-01-03T00:00:00.000Z"));
            old(handle, ids(5), phone, "AttachToPersona", 4, "{\"persona_id\": \"p2\"}",
                    "{\"data\": null, \"errors\": [{\"error\": \"PERSONA_NOT_FOUND\", \"message\": \"Persona not found\"}]}");
            old(handle, ids(6), unlabelled, "ProvisionNumber", 5, "{\"number_id\": 8, \"label\": null}",
                    data(8, unlabelled, null, null, "2026-01-04T00:00:00.000Z"));
        });

        Repository.migrate(dataSource);

        NumberState updated = new NumberState(7, phone, ORG, "front desk", "p1", new Settings("pw", 3L, null),
                Instant.parse("2026-01-03T00:00:00Z"));
        // Exactly what the processor writes for that state today: a replay of the log compares equal.
        Command update = new Command(ids(4), ORG, updated.updatedAt(), "ops", phone,
                new Change.UpdateSettings("p1", updated.settings()));
        assertThat(column(jdbi, "result", ids(4))).isEqualTo(jsonb(jdbi,
                Rows.outcome(update, "UpdatePersonaSettings", Outcome.success(updated), 0, 3).result()));
        assertThat(column(jdbi, "result", ids(2))).isEqualTo(jsonb(jdbi, """
                {"id": 6, "phone_number": "+14155557200", "org_id": "%s", "label": "old desk", "persona_id": null,
                 "persona_settings": null, "updated_at": "2026-01-01T00:00:00.000Z"}""".formatted(ORG)));
        assertThat(column(jdbi, "result", ids(6))).contains("\"label\": null");
        assertThat(column(jdbi, "errors", ids(4))).isNull();
        assertThat(column(jdbi, "result", ids(5))).isNull();
        assertThat(column(jdbi, "errors", ids(5))).isEqualTo(jsonb(jdbi,
                "[{\"error\": \"PERSONA_NOT_FOUND\", \"message\": \"Persona not found\"}]"));
        assertThat(text(jdbi, "select count(*) from information_schema.columns where table_name = 'command_outcomes'"
                + " and column_name = 'outcome'")).isEqualTo("0");

        // A repeat of a migrated command is answered with its first outcome, label included.
        Repository repository = new Repository(dataSource);
        WriteBatch repeats = new WriteBatch();
        repeats.addOutcome(repeat(ids(4), phone, 10));
        repeats.addOutcome(repeat(ids(5), phone, 11));
        assertThatThrownBy(() -> repository.write(repeats))
                .isInstanceOfSatisfying(Repository.CommandsSeenBeforeException.class, e -> assertThat(e.seenBefore())
                        .extracting(Verdict.SeenBefore::outcome)
                        .containsExactly(Outcome.success(updated),
                                Outcome.failure(new ApiError("PERSONA_NOT_FOUND", "Persona not found"))));
    }

    @Test
    void envelopesThatContradictTheirSucceededColumnStopTheMigrationWithTheirCount() {
        DataSource dataSource = atVersion("4");
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(handle -> {
            old(handle, ids(1), "+14155557300", "ProvisionNumber", 0, "{}", "{}");
            old(handle, ids(2), "+14155557300", "ProvisionNumber", 1, "{}",
                    data(1, "+14155557300", null, null, "2026-01-01T00:00:00.000Z"));
        });

        assertThatThrownBy(() -> Repository.migrate(dataSource))
                .hasStackTraceContaining("command_outcomes.outcome cannot become result and errors: 1 rows hold an"
                        + " envelope that does not match their succeeded column");

        assertThat(text(jdbi, "select max(version) from flyway_schema_history where success")).isEqualTo("4");
        assertThat(text(jdbi, "select count(*) from command_outcomes where outcome is not null")).isEqualTo("2");
    }

    private static DataSource atVersion3() {
        return atVersion("3");
    }

    private static DataSource atVersion(String version) {
        String url = SharedInfrastructure.postgres().createDatabase("migration_it_" + DATABASES.incrementAndGet());
        DataSource dataSource = TestDatabase.dataSource(url);
        Flyway.configure().dataSource(dataSource).target(version).load().migrate();
        return dataSource;
    }

    /** A row as the processor before V5 wrote it, in partition 0; failed when the envelope has errors. */
    private static void old(Handle handle, UUID commandId, String phone, String type, long offset, String command,
                            String outcome) {
        handle.createUpdate("""
                        insert into command_outcomes (command_id, phone_number, org_id, command_type, actor, issued_at,
                                                      command, source_partition, source_offset, succeeded, outcome)
                        values (:id, :phone, :org::uuid, :type, 'ops', '2026-01-01T00:00:00Z', :command::jsonb, 0, :offset,
                                coalesce(jsonb_typeof(:outcome::jsonb -> 'errors'), 'null') = 'null', :outcome::jsonb)""")
                .bind("id", commandId).bind("phone", phone).bind("org", ORG).bind("type", type)
                .bind("command", command).bind("offset", offset).bind("outcome", outcome).execute();
    }

    /** Bland's envelope of a success, as stored before V5 ({@code persona} and {@code settings} are JSON). */
    private static String data(long id, String phone, String persona, String settings, String updatedAt) {
        return """
                {"data": {"id": %d, "phone_number": "%s", "persona_id": %s, "persona_settings": %s, "updated_at": "%s"},
                 "errors": null}""".formatted(id, phone, persona, settings, updatedAt);
    }

    private static OutcomeRow repeat(UUID commandId, String phone, long offset) {
        return new OutcomeRow(commandId, phone, UUID.fromString(ORG), "AttachToPersona", "ops",
                Instant.parse("2026-02-01T00:00:00Z"), "{}", 0, offset, true, "{}", null);
    }

    private static UUID ids(int n) {
        return UUID.fromString("00000000-0000-0000-0000-0000000005%02d".formatted(n));
    }

    private static String column(Jdbi jdbi, String column, UUID commandId) {
        return jdbi.withHandle(handle -> handle.createQuery("select " + column + "::text from command_outcomes"
                + " where command_id = :id").bind("id", commandId).mapTo(String.class).one());
    }

    /** JSON as PostgreSQL's jsonb prints it (its own key order and spacing). */
    private static String jsonb(Jdbi jdbi, String json) {
        return jdbi.withHandle(handle -> handle.createQuery("select :json::jsonb::text").bind("json", json)
                .mapTo(String.class).one());
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
                + "', 'ProvisionNumber', 'ops', '2026-01-01T00:00:00Z', '{}', 0, 1, true, '{\"data\": {\"id\": 1,"
                + " \"phone_number\": \"" + phone + "\", \"persona_id\": null, \"persona_settings\": null,"
                + " \"updated_at\": \"2026-01-01T00:00:00.000Z\"}, \"errors\": null}')";
    }
}
