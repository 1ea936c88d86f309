package com.personasettings.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a child in a session of its own, so a Ctrl-C in the terminal reaches only our JVM, which then stops
 * its children in order (the broker last), instead of every process of the terminal's group at once.
 */
final class OwnSession {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private OwnSession() {
    }

    /**
     * The command behind {@code setsid} where there is one. setsid forks only when its caller leads a process
     * group, which a JVM's child never does; so it execs in place, and the child's pid is the program's.
     */
    static List<String> command(List<String> command) {
        List<String> result = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            result.add(SETSID.toString());
        }
        result.addAll(command);
        return result;
    }
}
