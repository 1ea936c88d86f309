package com.personasettings.bench;

import com.personasettings.processor.replay.Replay;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** The figures of one benchmark run, with the ceilings measured in the same run. */
public record Results(
        Instant finished,
        int commandBytes,
        Ceilings.Postgres postgresSingle,
        Ceilings.Postgres postgresBatched,
        Ceilings.Postgres postgresCopy,
        double kafkaProducePerSecond,
        Duration firstStart,
        List<Sync> sync,
        List<Async> async,
        List<Reference> references,
        int drainedCommands,
        double drainPerSecond,
        CpuUse drainCpu,
        int numbersInState,
        Restart restart,
        Restart restartAfterKill,
        Restart restartWithoutState,
        Replay.Result replay) {

    /**
     * A processor restart, timed from starting its JVM.
     *
     * @param running  to Kafka Streams' RUNNING
     * @param serving  until a burst of sync requests over every partition, sent at RUNNING, was answered
     * @param statuses the burst's answers by HTTP status (a 202 is a request that waited out the reply timeout)
     * @param restored records the processor read back from its changelogs before RUNNING, by store, as its log says
     */
    public record Restart(Duration running, Duration serving, Map<Integer, Long> statuses, Map<String, Long> restored) {

        public long restoredRecords() {
            return restored.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One sync rate's run, with how the processor committed during it and the CPU it took. */
    public record Sync(CommitPolicy commit, OpenLoop.Result run, CpuUse cpu) {
    }

    /**
     * One offered async rate's run.
     *
     * @param endToEndPerSecond commands accepted (202), divided by the time from the first request until the
     *                          last of them was persisted with its outcome
     * @param cpu               over the same span, per accepted command
     */
    public record Async(OpenLoop.Result run, double endToEndPerSecond, CpuUse cpu) {

        /**
         * Kept up with: every request was sent and answered, and end to end went at ≥ 90 % of the pace the
         * commands were accepted at (the backlog was persisted within a ninth of the run's length after it).
         */
        public boolean sustained() {
            double acceptedPerSecond = run.statuses().getOrDefault(202, 0L) / (run.duration().toNanos() / 1e9);
            return run.statuses().keySet().stream().allMatch(status -> status > 0)
                    && endToEndPerSecond >= 0.9 * acceptedPerSecond;
        }
    }

    /** What the product is compared with, behind the same HTTP stack and key check (the bench's peer). */
    public enum Peer {
        /** The same PATCH as one PostgreSQL transaction per request: what a team without Kafka would build. */
        CRUD("CRUD peer"),
        /** A trivial authenticated request: the HTTP stack and the key check alone. */
        HTTP("HTTP ceiling");

        public final String label;

        Peer(String label) {
            this.label = label;
        }
    }

    /** One rate of a peer, sync. */
    public record Reference(Peer peer, OpenLoop.Result run, CpuUse cpu) {

        /**
         * Kept up with: every request was sent and answered with a status, and p99 stayed under a second (past its
         * capacity an open loop's queue grows for the whole run, and the tail with it).
         */
        public boolean sustained() {
            return run.statuses().keySet().stream().allMatch(status -> status > 0)
                    && millis(run.latency(), 99) <= 1_000;
        }
    }

    /** The highest offered rate {@code peer} kept up with, or empty if it kept up with none. */
    public OptionalDouble highestSustained(Peer peer) {
        return references.stream().filter(r -> r.peer() == peer && r.sustained()).mapToDouble(r -> r.run().rate()).max();
    }

    /** The peer's run at {@code rate}, if it ran at that rate. */
    public java.util.Optional<Reference> reference(Peer peer, double rate) {
        return references.stream().filter(r -> r.peer() == peer && r.run().rate() == rate).findFirst();
    }

    /** The highest end-to-end rate among the async runs that kept up, or empty if none did. */
    public OptionalDouble highestSustainedAsync() {
        return async.stream().filter(Async::sustained).mapToDouble(Async::endToEndPerSecond).max();
    }

    /** Mean of a one-command PostgreSQL transaction, in milliseconds: the sync latency target's yardstick. */
    public double postgresSingleMillis() {
        return postgresSingle.latency().getMean() / 1000;
    }

    static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
