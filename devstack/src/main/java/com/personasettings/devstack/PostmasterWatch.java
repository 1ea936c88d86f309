package com.personasettings.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stops a PostgreSQL server once the JVM that started it is gone, however that JVM ended. pg_ctl daemonizes
 * the postmaster (it is init's child, not ours), so nothing reaches it when this JVM dies: a small detached
 * shell loop looks at this JVM every half second and, when it is gone, asks the postmaster for a fast
 * shutdown (SIGINT: open transactions roll back, connections close, a checkpoint is written). The loop runs
 * in a session of its own, so a Ctrl-C in the terminal does not end it before our orderly stop, and it ends
 * by itself when the server stops.
 */
final class PostmasterWatch implements AutoCloseable {

    /**
     * $1 the JVM, $2 the postmaster, $3 its pid file. A zombie counts as gone: an orphan's exit is not always
     * reaped (PID 1 of some containers does not), and kill -0 still finds a zombie. Before the signal the pid
     * file must still name the postmaster, so a pid reused by another process is never signalled.
     */
    private static final String SCRIPT = """
            alive() {
              [ -r "/proc/$1/stat" ] || { kill -0 "$1" 2>/dev/null; return; }
              read -r stat < "/proc/$1/stat" || return 1
              state=${stat##*") "}
              [ "${state%% *}" != Z ]
            }
            while alive "$2"; do
              if ! alive "$1"; then
                [ "$(head -n 1 "$3" 2>/dev/null)" = "$2" ] && kill -INT "$2"
                exit 0
              fi
              sleep 0.5
            done
            """;

    private final Process process;

    private PostmasterWatch(Process process) {
        this.process = process;
    }

    /** Starts watching the server running in {@code dataDir} (as named by its {@code postmaster.pid}) on behalf of this JVM. */
    static PostmasterWatch start(Path dataDir) {
        Path pidFile = dataDir.toAbsolutePath().resolve("postmaster.pid");
        try {
            String postmaster = Files.readAllLines(pidFile).get(0).trim();
            Process process = new ProcessBuilder(OwnSession.command(List.of("sh", "-c", SCRIPT, "postmaster-watch",
                    Long.toString(ProcessHandle.current().pid()), postmaster, pidFile.toString())))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new PostmasterWatch(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch the PostgreSQL server of " + dataDir, e);
        }
    }

    /** Ends the watch (the server was stopped on purpose). */
    @Override
    public void close() {
        process.destroy();
    }
}
