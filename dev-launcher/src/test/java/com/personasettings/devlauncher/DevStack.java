package com.personasettings.devlauncher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./persona-settings dev} on ports of its own (free ones, so a test collides neither with a dev stack
 * on the default ports nor with another test) and a data directory under target/, plus what a test needs to
 * find everything it started: the broker, registry and PostgreSQL all name the data directory on their
 * command lines, and PostgreSQL's backends are the postmaster's children.
 */
record DevStack(Path dataDir, int kafkaPort, int registryPort, int postgresPort, int httpPort, int processorPort) {

    static DevStack onFreePorts(Path dataDir) throws IOException {
        int kafka = freePortWithFreeNext(); // the controller listens on the next port
        return new DevStack(dataDir.toAbsolutePath(), kafka, freePort(), freePort(), freePort(), freePort());
    }

    /** Starts {@code dev} on these ports and this data directory. */
    LauncherRun start(String... extra) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("dev", "--data-dir", dataDir.toString(),
                "--kafka-port", Integer.toString(kafkaPort), "--registry-port", Integer.toString(registryPort),
                "--postgres-port", Integer.toString(postgresPort), "--port", Integer.toString(httpPort),
                "--processor-port", Integer.toString(processorPort)));
        arguments.addAll(List.of(extra));
        return LauncherRun.start(dataDir.getFileName() + ".log", Map.of(), arguments);
    }

    List<Integer> ports() {
        return List.of(kafkaPort, kafkaPort + 1, registryPort, postgresPort, httpPort, processorPort);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgresPort + "/postgres";
    }

    /** The processes of this stack still running: those naming the data directory, and their descendants. */
    List<ProcessHandle> processes() {
        String dir = dataDir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> commandLine(p).contains(dir))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .filter(ProcessHandle::isAlive) // Java counts a zombie as gone: it holds no port and no file
                .distinct()
                .toList();
    }

    /**
     * The whole command line from /proc. ProcessHandle.Info cuts it at 4096 bytes, and a java child's class
     * path alone is longer than that, so the data directory after it would never be seen.
     */
    static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException goneOrNoProc) {
            return process.info().commandLine().orElse("");
        }
    }

    /** The running PostgreSQL server, by the pid file it keeps in its data directory. */
    ProcessHandle postmaster() throws IOException {
        String pid = Files.readAllLines(dataDir.resolve("postgres").resolve("data").resolve("postmaster.pid")).get(0).trim();
        return ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
    }

    /** Whether nothing listens on any of the stack's ports (binding the wildcard address conflicts with any listener). */
    boolean portsFree() {
        return ports().stream().allMatch(DevStack::isFree);
    }

    List<Integer> busyPorts() {
        return ports().stream().filter(p -> !isFree(p)).toList();
    }

    /** Kills whatever of the stack is left, so a failed test does not leave it running. */
    void killLeftovers() {
        processes().forEach(ProcessHandle::destroyForcibly);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as servers do: a port in TIME_WAIT is free for them
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int freePortWithFreeNext() throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port = freePort();
            if (port < 65535 && isFree(port + 1)) {
                return port;
            }
            if (attempt > 100) {
                throw new IllegalStateException("no two free consecutive ports found");
            }
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
