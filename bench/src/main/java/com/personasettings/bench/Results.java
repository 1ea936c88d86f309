package com.personasettings.bench;

import com.personasettings.processor.replay.Replay;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The figures of one benchmark run, with the ceilings measured in the same run. */
public record Results(
        Instant finished,
        int commandBytes,
        Ceilings.Postgres postgresSingle,
        Ceilings.Postgres postgresBatched,
        double kafkaProducePerSecond,
        Duration firstStart,
        List<Sync> sync,
        OpenLoop.Result async,
        double asyncEndToEndPerSecond,
        int drainedCommands,
        double drainPerSecond,
        int numbersInState,
        Duration restart,
        Replay.Result replay) {

    /** One sync rate's run, with the processor's commit interval during it. */
    public record Sync(Duration commitInterval, OpenLoop.Result run) {
    }

    /** Mean of a one-command PostgreSQL transaction, in milliseconds: the sync latency target's yardstick. */
    public double postgresSingleMillis() {
        return postgresSingle.latency().getMean() / 1000;
    }

    static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
