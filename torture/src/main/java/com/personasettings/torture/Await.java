package com.personasettings.torture;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waiting for a condition of the running stack, bounded, with the last reason it was not met in the failure. */
final class Await {

    private static final Duration POLL = Duration.ofMillis(250);

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds; an exception it throws counts as "not yet" (a broker or a database
     * that is coming back answers with errors for a while) and, when time is up, says why.
     *
     * @throws IllegalStateException when it still does not hold after {@code timeout}
     */
    static void until(String what, Duration timeout, Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = "never held";
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
                last = "still false";
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception notYet) {
                last = notYet;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not after " + timeout.toSeconds() + " s (" + last + ")");
            }
            Thread.sleep(POLL.toMillis()); // the poll interval of a bounded wait for a condition
        }
    }
}
