package com.personasettings.processor.db;

import com.personasettings.processor.metrics.ProcessingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.personasettings.domain.ApiError;
import com.personasettings.domain.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PendingWritesTest {

    private static final String PHONE = "+14155551234";

    /**
     * A batch abandoned for one record's verdict and then for another's: the first verdict must still be there
     * when the batch is processed the third time, or the two records take turns for ever (found by DedupIT on a
     * loaded machine: a repeat and an id reused by another org in one batch).
     */
    @Test
    void aVerdictOutlivesTheBatchesAbandonedAfterIt() {
        UUID id = UUID.randomUUID();
        Verdict.SeenBefore repeat = new Verdict.SeenBefore(0, 1, id, PHONE, null,
                Outcome.failure(ApiError.invalidRequest("org_id must be a lower-case UUID")));
        Verdict.SeenBefore reuse = new Verdict.SeenBefore(0, 2, id, PHONE, null, repeat.outcome());
        List<List<Verdict.SeenBefore>> failures = new ArrayList<>(List.of(List.of(repeat), List.of(reuse)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ProcessingMetrics metrics = new ProcessingMetrics(meters);
        PendingWrites writes = new PendingWrites(batch -> {
            if (!failures.isEmpty()) {
                throw new Repository.CommandsSeenBeforeException(failures.remove(0));
            }
        }, Duration.ofSeconds(1), metrics);

        commitOne(writes, 1);
        assertThat(writes.verdict(0, 1)).contains(repeat);
        commitOne(writes, 2);

        assertThat(writes.verdict(0, 1)).as("read again after another abandoned batch").contains(repeat);
        assertThat(writes.verdict(0, 2)).contains(reuse);
        assertThat(writes.verdict(0, 3)).isEmpty();
        assertThat(meters.counter("persona.transactions.abandoned", "reason", "seen_before").count()).isEqualTo(2.0);

        writes.current().changeNumber(Rows.tombstone(PHONE, Instant.EPOCH, 3), 0);
        writes.commit();
        assertThat(meters.summary("persona.database.batch.commands").count()).isEqualTo(1);
        assertThat(meters.timer("persona.database.commit").count()).isEqualTo(1);
    }

    private static void commitOne(PendingWrites writes, long offset) {
        writes.current().changeNumber(Rows.tombstone(PHONE, Instant.EPOCH, offset), 0);
        assertThatThrownBy(writes::commit).isInstanceOf(PendingWrites.DatabaseWriteFailedException.class);
        writes.discard();
    }
}
