package com.personasettings.torture;

import java.time.Duration;

/**
 * One fault injected while the load runs: {@code inject} breaks a part, which then stays down for {@code outage}
 * (a fixed time, part of the scenario), and {@code recover} brings it back and waits until it serves again.
 *
 * @param inject returns what it did, in words, for the run's log and report ("node 2, leader of 3 of 6 ...")
 */
record Fault(String name, Duration outage, Inject inject, Recover recover) {

    @FunctionalInterface
    interface Inject {
        String run() throws Exception;
    }

    @FunctionalInterface
    interface Recover {
        void run() throws Exception;
    }
}
