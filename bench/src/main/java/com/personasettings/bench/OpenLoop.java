package com.personasettings.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Sends requests at a fixed rate whatever the responses do, and times each one from the moment it was due,
 * not from when it was sent: a slow response delays no later request, and a sender that falls behind shows
 * up as latency instead of as fewer requests (no coordinated omission).
 */
public final class OpenLoop {

    /**
     * Requests in flight beyond which a due request is not sent but counted under status -1: a saturated
     * server would otherwise take the generator (and the file descriptors it shares with it) down too.
     */
    public static final int MAX_IN_FLIGHT = 4_000;
    /** Latencies are recorded in microseconds, up to a minute. */
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

    /**
     * @param latency  microseconds from due to answered, per request
     * @param statuses answers by HTTP status; 0 counts requests that failed without one, -1 those not sent
     *                 because {@link #MAX_IN_FLIGHT} were in flight
     */
    public record Result(double rate, Duration duration, Histogram latency, Map<Integer, Long> statuses) {
        public long answered() {
            return latency.getTotalCount();
        }
    }

    private OpenLoop() {
    }

    /** Runs {@code request(i)} for i = 0, 1, ... every 1/rate seconds for the duration, then awaits the answers. */
    public static Result run(double rate, Duration duration, LongFunction<CompletableFuture<Integer>> request)
            throws InterruptedException {
        return run(rate, duration, () -> true, request);
    }

    /**
     * As {@link #run(double, Duration, LongFunction)}, but stops sending early, at the first due request for
     * which {@code keepGoing} is false (a scenario that ends when its last step is done, say).
     */
    public static Result run(double rate, Duration duration, BooleanSupplier keepGoing,
                             LongFunction<CompletableFuture<Integer>> request) throws InterruptedException {
        Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> answers = new ArrayList<>();
        AtomicInteger inFlight = new AtomicInteger();
        long count = (long) (rate * duration.toNanos() / 1e9);
        double intervalNanos = 1e9 / rate;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * intervalNanos);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!keepGoing.getAsBoolean()) {
                break;
            }
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                statuses.computeIfAbsent(-1, s -> new LongAdder()).increment();
                continue;
            }
            inFlight.incrementAndGet();
            CompletableFuture<Integer> answer;
            try {
                answer = request.apply(i);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answers.add(answer.whenComplete((status, error) -> {
                recorder.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - due) / 1_000));
                statuses.computeIfAbsent(error == null ? status : 0, s -> new LongAdder()).increment();
                inFlight.decrementAndGet();
            }));
        }
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Failed requests are already counted under status 0.
        } catch (TimeoutException e) {
            throw new IllegalStateException("answers still missing a minute after the last request", e);
        }
        Map<Integer, Long> counted = new java.util.TreeMap<>();
        statuses.forEach((status, n) -> counted.put(status, n.sum()));
        return new Result(rate, duration, recorder.getIntervalHistogram(), counted);
    }
}
