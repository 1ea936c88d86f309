package com.personasettings.devstack;

import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs another program's main class in this JVM and ends it with {@link System#exit} once the process that
 * started it is gone, however that one ended (SIGKILL included). System.exit runs the program's own
 * shutdown hooks, so Kafka and Quarkus stop as cleanly as on SIGTERM.
 *
 * <p>{@code java -cp <this class's jar or folder>:... com.personasettings.devstack.ExitWithParent <parent pid> <main class> [arguments]}
 *
 * <p>Linux's parent-death signal (PR_SET_PDEATHSIG) is no substitute: it fires when the <em>thread</em> that
 * forked the child ends, which in a JVM may be any pool thread.
 */
public final class ExitWithParent {

    /**
     * How often the parent is looked at: the longest a child runs on after its parent died. Not
     * {@code ProcessHandle.onExit()}: for a process that is not its child the JDK polls with a pause that
     * grows to 5 s the longer the parent lives.
     */
    private static final long POLL_MILLIS = 200;

    private ExitWithParent() {
    }

    /** The arguments that run {@code mainClass} under this watch of the current JVM (after java's own options). */
    public static List<String> command(String mainClass) {
        return List.of(ExitWithParent.class.getName(), Long.toString(ProcessHandle.current().pid()), mainClass);
    }

    /** The jar or class folder holding this class, for a child's class path. */
    public static Path classPathEntry() {
        try {
            return Path.of(ExitWithParent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ExitWithParent <parent pid> <main class> [arguments]");
            System.exit(2);
        }
        ProcessHandle parent = ProcessHandle.of(Long.parseLong(args[0])).orElse(null);
        if (parent == null) {
            System.err.println("The process that started this one (" + args[0] + ") is already gone");
            System.exit(1);
        }
        Thread watch = new Thread(() -> exitAfter(parent), "exit-with-parent");
        watch.setDaemon(true);
        watch.start();
        try {
            Class.forName(args[1]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitAfter(ProcessHandle parent) {
        // isAlive() also checks the start time (a reused pid is not the parent) and counts a zombie as gone.
        while (parent.isAlive()) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("The process that started this one (" + parent.pid() + ") is gone: stopping");
        System.exit(0);
    }
}
