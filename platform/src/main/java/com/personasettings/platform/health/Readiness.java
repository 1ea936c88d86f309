package com.personasettings.platform.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a service can do its work, from checks run in the background: a health request answers from
 * the last results at once, however slow or hung a dependency is. Each check runs on a thread of its own, so
 * one that hangs (a database that does not answer) delays no other; one that has not answered within its
 * timeout counts as failed until it does.
 */
public final class Readiness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** @param probe returns null when the dependency is fine, else what is wrong; may throw */
    public record Check(String name, Callable<String> probe) {
    }

    private final List<Runner> runners;
    private final ScheduledExecutorService scheduler;

    private Readiness(List<Check> checks, Duration timeout) {
        this.runners = checks.stream().map(check -> new Runner(check, timeout)).toList();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("readiness"));
    }

    /**
     * Runs every check now and waits for them (at most {@code timeout}), then every {@code interval}.
     */
    public static Readiness start(List<Check> checks, Duration interval, Duration timeout) {
        Readiness readiness = new Readiness(checks, timeout);
        readiness.runners.forEach(Runner::run);
        readiness.runners.forEach(runner -> runner.await(timeout));
        readiness.scheduler.scheduleWithFixedDelay(() -> readiness.runners.forEach(Runner::run),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return readiness;
    }

    /** Per check, "UP" or what is wrong, in the order the checks were given. */
    public Map<String, String> status() {
        Map<String, String> status = new LinkedHashMap<>();
        runners.forEach(runner -> status.put(runner.check.name(), runner.result()));
        return status;
    }

    public boolean ready() {
        return runners.stream().allMatch(runner -> runner.result().equals("UP"));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        runners.forEach(runner -> runner.executor.shutdownNow());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One check: at most one run at a time, on its own thread. */
    private static final class Runner {

        private final Check check;
        private final long timeoutNanos;
        private final ExecutorService executor;
        private volatile String last = "not checked yet";
        private volatile CompletableFuture<String> running;
        private volatile long startedNanos;

        Runner(Check check, Duration timeout) {
            this.check = check;
            this.timeoutNanos = timeout.toNanos();
            this.executor = Executors.newSingleThreadExecutor(daemon("readiness-" + check.name()));
        }

        void run() {
            CompletableFuture<String> current = running;
            if (current != null && !current.isDone()) {
                return; // the previous run still hangs; result() reports it
            }
            startedNanos = System.nanoTime();
            running = CompletableFuture.supplyAsync(this::probe, executor);
            running.thenAccept(result -> {
                if (!result.equals(last)) {
                    log.info("Readiness check {}: {}", check.name(), result);
                }
                last = result;
            });
        }

        void await(Duration timeout) {
            try {
                running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // reported by result()
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String probe() {
            try {
                String problem = check.probe().call();
                return problem == null ? "UP" : problem;
            } catch (Exception e) {
                return e.toString();
            }
        }

        String result() {
            CompletableFuture<String> current = running;
            if (current != null && !current.isDone() && System.nanoTime() - startedNanos > timeoutNanos) {
                return "no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms";
            }
            return last;
        }
    }
}
