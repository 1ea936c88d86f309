package com.personasettings.launcher;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes resources in reverse order. */
final class Shutdown {

    private Shutdown() {
    }

    static void awaitSignal(AutoCloseable... resourcesInStartOrder) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<AutoCloseable> resources = List.of(resourcesInStartOrder);
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    System.err.println("while stopping: " + e);
                }
            }
            closed.countDown();
        }, "shutdown"));
        closed.await();
    }
}
