package com.personasettings.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes resources newest first, within
 * {@link #BOUND} whatever they are doing.
 *
 * <p>Each resource gets an equal share of the time left for it and those after it, and is closed on a
 * thread of its own: one that takes longer (a stream thread blocked in a database commit, which Kafka
 * Streams' close waits for and nothing can interrupt) is left behind and the next one closed, so the broker,
 * PostgreSQL and the registry still stop cleanly, the broker last. If the JVM is still here when the time is
 * up, it halts. Leaving the processor behind is safe: its open Kafka transaction is aborted and the records
 * are processed again on the next start, and its database writes are idempotent.
 */
public final class Shutdown {

    /** What the README promises for Ctrl-C and SIGTERM; also docker stop's default grace before its SIGKILL. */
    public static final Duration BOUND = Duration.ofSeconds(10);

    /** The time the resources share; a normal stop of the whole dev stack takes about 2 s of it. */
    static final Duration CLOSE_WITHIN = Duration.ofSeconds(8);

    /**
     * When the JVM halts if it is still here (another library's shutdown hook may hang too). A second after
     * CLOSE_WITHIN, so a close left behind has been reported first; a second short of BOUND, for the
     * signal to reach the hooks and the halted JVM to be gone on a busy machine.
     */
    static final Duration HALT_AFTER = Duration.ofSeconds(9);

    private Shutdown() {
    }

    public static void awaitSignal(AutoCloseable... resourcesInStartOrder) throws InterruptedException {
        List<AutoCloseable> newestFirst = new ArrayList<>(List.of(resourcesInStartOrder));
        Collections.reverse(newestFirst);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            haltAfter(HALT_AFTER);
            closeWithin(CLOSE_WITHIN, newestFirst);
            closed.countDown();
        }, "shutdown"));
        closed.await();
    }

    /** Closes the resources in order, each within its share of {@code bound}, leaving behind those that take longer. */
    static void closeWithin(Duration bound, List<AutoCloseable> resources) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (int i = 0; i < resources.size(); i++) {
            AutoCloseable resource = resources.get(i);
            long share = Math.max(0, (deadline - System.nanoTime()) / (resources.size() - i));
            Thread closing = new Thread(() -> close(resource), "closing " + name(resource));
            closing.setDaemon(true);
            closing.start();
            try {
                closing.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(share)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (closing.isAlive()) {
                System.err.println("Stopping: " + name(resource) + " did not stop within "
                        + TimeUnit.NANOSECONDS.toMillis(share) + " ms; going on without it");
            }
        }
    }

    private static void close(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("while stopping " + name(resource) + ": " + e);
        }
    }

    /**
     * The last resort: no other shutdown hook (libraries register their own) may keep the JVM past the bound.
     * A daemon thread keeps running while the hooks do, and the JVM does not wait for it.
     */
    private static void haltAfter(Duration delay) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("Stopping: not done after " + delay.toSeconds() + " s; exiting now");
            Runtime.getRuntime().halt(1);
        }, "halt after " + delay.toSeconds() + " s");
        halt.setDaemon(true);
        halt.start();
    }

    private static String name(AutoCloseable resource) {
        return resource.getClass().getSimpleName();
    }
}
