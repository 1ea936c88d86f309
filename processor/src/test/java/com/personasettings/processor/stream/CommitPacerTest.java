package com.personasettings.processor.stream;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPacerTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));

    @Test
    void afterACommitTheThreadProcessesThreeTimesAsLongBeforeARecordMayAskAgain() {
        CommitPacer pacer = new CommitPacer(true, now::get);
        long start = now.get();
        advanceMillis(10);
        pacer.committed(start);                              // a commit of 10 ms, ended now

        advanceMillis(15);
        assertThat(pacer.due()).as("15 ms after a 10 ms commit: half the time would go to commits").isFalse();
        advanceMillis(14);
        assertThat(pacer.due()).as("29 ms after").isFalse();
        advanceMillis(1);
        assertThat(pacer.due()).as("30 ms after: a quarter of the time to commits").isTrue();
    }

    @Test
    void anIdleThreadAsksAtOnceAndNeverWhenSwitchedOff() {
        assertThat(new CommitPacer(true, now::get).due()).isTrue();
        assertThat(new CommitPacer(false, now::get).due()).isFalse();
    }

    @Test
    void eachStreamThreadIsPacedByItsOwnCommits() throws Exception {
        CommitPacer pacer = new CommitPacer(true, now::get);
        long start = now.get();
        advanceMillis(10);
        pacer.committed(start);

        boolean[] otherThread = new boolean[1];
        Thread other = new Thread(() -> otherThread[0] = pacer.due());
        other.start();
        other.join();

        assertThat(pacer.due()).as("this thread just committed").isFalse();
        assertThat(otherThread[0]).as("another thread has not committed").isTrue();
    }

    private void advanceMillis(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
