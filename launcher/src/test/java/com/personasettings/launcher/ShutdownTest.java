package com.personasettings.launcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownTest {

    @Test
    void aCloseThatHangsIsLeftBehindAfterItsShareAndTheRestStillCloseInOrder() {
        List<String> closed = new CopyOnWriteArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        AutoCloseable gateway = () -> closed.add("gateway");
        AutoCloseable stuckProcessor = never::await;
        AutoCloseable broker = () -> closed.add("broker");

        long start = System.nanoTime();
        Shutdown.closeWithin(Duration.ofMillis(900), List.of(gateway, stuckProcessor, broker));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(closed).containsExactly("gateway", "broker");
        // The stuck one had half of what was left (itself and the broker): about 450 ms.
        assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofMillis(900));
        never.countDown();
    }

    @Test
    void closesThatFinishTakeOnlyTheTimeTheyNeed() {
        List<String> closed = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        Shutdown.closeWithin(Duration.ofSeconds(8), List.of(() -> closed.add("a"), () -> closed.add("b")));
        assertThat(closed).containsExactly("a", "b");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
