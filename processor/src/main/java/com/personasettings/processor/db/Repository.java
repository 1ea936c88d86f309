package com.personasettings.processor.db;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The processor's PostgreSQL: schema migrations and the batched, idempotent write of a {@link WriteBatch}. */
public final class Repository implements BatchWriter {

    private final Jdbi jdbi;

    public Repository(DataSource dataSource) {
        this.jdbi = Jdbi.create(dataSource)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
    }

    /**
     * Brings the schema up to date; run once at start-up, before any task writes. The gateway shares the
     * database with its own history table, so a schema that is not empty is not an error here.
     */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load().migrate();
    }

    /**
     * Writes the whole batch in one transaction: outcome rows first (a command id already present inserts
     * nothing), then the last state of each changed number, guarded by its command log offset. READ
     * COMMITTED (the pool's level, see DataSources) is enough: a number is written by the one task that owns its
     * partition, and during a hand-over, when a stale writer may still be finishing, the offset guard keeps the
     * newer state.
     */
    @Override
    public void write(WriteBatch batch) {
        jdbi.useTransaction(handle -> {
            OutcomesDao outcomes = handle.attach(OutcomesDao.class);
            List<OutcomesDao.Earlier> earlier = earlier(outcomes, batch.outcomes());
            if (!earlier.isEmpty()) {
                throw new CommandsSeenBeforeException(earlier.stream().map(Rows::seenBefore).toList());
            }
            outcomes.insert(batch.outcomes());
            handle.attach(NumbersDao.class).upsert(batch.numbers());
        });
    }

    /**
     * The batch's commands that were recorded before: the live processor recognises a command id from its state
     * store only within the dedup window, so the database, which keeps every id, is asked once per batch.
     */
    private static List<OutcomesDao.Earlier> earlier(OutcomesDao outcomes, List<OutcomeRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        UUID[] ids = new UUID[rows.size()];
        Integer[] partitions = new Integer[rows.size()];
        Long[] offsets = new Long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            ids[i] = rows.get(i).commandId();
            partitions[i] = rows.get(i).sourcePartition();
            offsets[i] = rows.get(i).sourceOffset();
        }
        return outcomes.earlier(ids, partitions, offsets);
    }

    /** Some commands of a batch were recorded before: the batch must be processed again knowing it. */
    public static final class CommandsSeenBeforeException extends RuntimeException {

        private final List<Verdict.SeenBefore> seenBefore;

        CommandsSeenBeforeException(List<Verdict.SeenBefore> seenBefore) {
            super(seenBefore.size() + " command(s) of the batch were recorded before, outside the dedup window");
            this.seenBefore = seenBefore;
        }

        public List<Verdict.SeenBefore> seenBefore() {
            return seenBefore;
        }
    }

    /**
     * Which records' rows PostgreSQL refuses, found by writing each row alone behind a savepoint in a transaction
     * that is rolled back: the batch without them would commit. Called only after {@link #write} failed for a
     * reason that is not an outage, so the extra round trips (two per row) are rare.
     *
     * @throws RuntimeException when the database fails for another reason meanwhile (unreachable, say)
     */
    @Override
    public List<Verdict.Refused> refused(WriteBatch batch) {
        return jdbi.withHandle(handle -> {
            handle.begin();
            try {
                List<Verdict.Refused> refused = new ArrayList<>();
                OutcomesDao outcomes = handle.attach(OutcomesDao.class);
                NumbersDao numbers = handle.attach(NumbersDao.class);
                for (OutcomeRow row : batch.outcomes()) {
                    probe(handle, () -> outcomes.insert(List.of(row)), row.sourcePartition(), row.sourceOffset())
                            .ifPresent(refused::add);
                }
                for (WriteBatch.NumberChange change : batch.numberChanges()) {
                    probe(handle, () -> numbers.upsert(List.of(change.row())), change.sourcePartition(),
                            change.row().sourceOffset()).ifPresent(refused::add);
                }
                return refused;
            } finally {
                handle.rollback();
            }
        });
    }

    private static Optional<Verdict.Refused> probe(Handle handle, Runnable write, int partition, long offset) {
        handle.savepoint("probe");
        try {
            write.run();
            handle.release("probe");
            return Optional.empty();
        } catch (RuntimeException e) {
            if (DatabaseErrors.isTransient(e)) {
                throw e;
            }
            handle.rollbackToSavepoint("probe");
            return Optional.of(new Verdict.Refused(partition, offset, DatabaseErrors.describe(e)));
        }
    }

    /** Whether no number and no outcome is recorded yet: a replay into it needs no state from it. */
    public boolean isEmpty() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select not exists (select 1 from inbound_numbers) and not exists (select 1 from command_outcomes)
                """).mapTo(Boolean.class).one());
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public NumbersDao numbers() {
        return jdbi.onDemand(NumbersDao.class);
    }

    public OutcomesDao outcomes() {
        return jdbi.onDemand(OutcomesDao.class);
    }
}
