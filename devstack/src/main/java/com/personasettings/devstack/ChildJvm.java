package com.personasettings.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that runs a main class of this JVM's class path, in a session of its own
 * (see {@link OwnSession}) and under {@link ExitWithParent}: it stops by itself, running its shutdown hooks,
 * once this JVM is gone, however this JVM ended.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @param jvmOptions options before the class path, e.g. {@code -Xmx512m}
     * @param mainClass  the program's main class
     * @param arguments  the program's arguments
     */
    public static List<String> command(List<String> jvmOptions, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.addAll(ExitWithParent.command(mainClass));
        command.addAll(arguments);
        return OwnSession.command(command);
    }
}
