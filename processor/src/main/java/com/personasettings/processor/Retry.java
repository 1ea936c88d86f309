package com.personasettings.processor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Retries an action with exponential backoff (50 ms doubling to 2 s) until it succeeds or a budget runs out. */
public final class Retry {

    private static final Logger log = LoggerFactory.getLogger(Retry.class);

    private Retry() {
    }

    /**
     * @param retriable which failures are worth another try; any other is thrown at once
     * @throws RuntimeException the last failure, once {@code budget} has passed
     */
    public static <T> T withBackoff(String what, Duration budget, Predicate<RuntimeException> retriable,
                                    Supplier<T> action) {
        long deadline = System.nanoTime() + budget.toNanos();
        long backoffMillis = 50;
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (!retriable.test(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                log.warn("{} failed, retrying in {} ms: {}", what, backoffMillis, e.toString());
                try {
                    Thread.sleep(backoffMillis); // retry backoff
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
            }
        }
    }
}
