package com.personasettings.gateway.db;

import com.personasettings.devstack.Postgres;
import com.personasettings.testkit.SharedInfrastructure;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The group-commit writer of accepted commands, on a real PostgreSQL. */
class AcceptedCommandsIT {

    private static GatewayDatabase db;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void database() {
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(SharedInfrastructure.postgres().createDatabase("accepted_commands_it"));
        dataSource.setUser(Postgres.USER);
        GatewayDatabase.migrate(dataSource);
        db = new GatewayDatabase(dataSource);
    }

    @Test
    void everyRecordedCommandIsCommittedBeforeItsFutureCompletes() throws Exception {
        UUID org = UUID.randomUUID();
        List<List<UUID>> requests = IntStream.range(0, 2_000)
                .mapToObj(i -> List.of(UUID.randomUUID(), UUID.randomUUID())).toList();
        try (AcceptedCommands accepted = new AcceptedCommands(db.acceptedCommands())) {
            // Recorded from many threads at once, as concurrent requests do.
            List<CompletableFuture<Void>> written = requests.parallelStream()
                    .map(ids -> accepted.record(request(org, ids))).toList();
            // One connection for the checks (the data source opens a new one per call).
            try (Handle handle = Jdbi.create(dataSource).open()) {
                for (int i = 0; i < requests.size(); i++) {
                    written.get(i).get(30, TimeUnit.SECONDS);
                    List<UUID> stored = db.acceptedCommands().request(org, requestId(requests.get(i)))
                            .orElseThrow().commandIds();
                    assertThat(stored).as("the request's commands, in order").isEqualTo(requests.get(i));
                    for (UUID id : requests.get(i)) {
                        assertThat(handle.createQuery("select org_id from accepted_commands where command_id = :id")
                                .bind("id", id).mapTo(UUID.class).findOne()).as("command %s", id).contains(org);
                    }
                }
            }
        }
        assertThat(db.acceptedCommands().exists(UUID.randomUUID(), requests.get(0).get(0)))
                .as("recorded for its org only").isFalse();
    }

    @Test
    void aRecordingThatCannotBeWrittenFailsInsteadOfHanging() {
        PGSimpleDataSource unreachable = new PGSimpleDataSource();
        unreachable.setUrl("jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2");
        try (AcceptedCommands accepted = new AcceptedCommands(new GatewayDatabase(unreachable).acceptedCommands())) {
            CompletableFuture<Void> written = accepted.record(request(UUID.randomUUID(), List.of(UUID.randomUUID())));
            assertThatThrownBy(() -> written.get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void afterCloseRecordingFailsAtOnce() throws Exception {
        AcceptedCommands accepted = new AcceptedCommands(db.acceptedCommands());
        accepted.close();
        assertThat(accepted.record(request(UUID.randomUUID(), List.of(UUID.randomUUID())))).isCompletedExceptionally();
    }

    /** A request whose id is derived from its commands', so the test can find it again. */
    private static RequestRow request(UUID org, List<UUID> commandIds) {
        return new RequestRow(requestId(commandIds), org, "attach", UUID.randomUUID(), commandIds);
    }

    private static UUID requestId(List<UUID> commandIds) {
        return UUID.nameUUIDFromBytes(commandIds.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
