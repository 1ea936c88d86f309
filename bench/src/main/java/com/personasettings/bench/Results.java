package com.personasettings.bench;

import com.personasettings.processor.replay.Replay;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/** The figures of one benchmark run, with the ceilings measured in the same run. */
public record Results(
        Instant finished,
        int commandBytes,
        Ceilings.Postgres postgresSingle,
        Ceilings.Postgres postgresBatched,
        double kafkaProducePerSecond,
        Duration firstStart,
        List<Sync> sync,
        List<Async> async,
        int drainedCommands,
        double drainPerSecond,
        CpuUse drainCpu,
        int numbersInState,
        Duration restart,
        Duration restartAfterKill,
        Replay.Result replay) {

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
