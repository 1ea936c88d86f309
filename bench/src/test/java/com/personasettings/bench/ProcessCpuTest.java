package com.personasettings.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCpuTest {

    @TempDir
    Path proc;

    @Test
    void aPartIsItsRootProcessWithEveryDescendantAndTheirExitedChildren() throws IOException {
        // utime stime cutime cstime are fields 14-17: here 1+2+3+4 ticks for the postmaster.
        process(100, 1, "postgres -D /bench/postgres/data", 1, 2, 3, 4);
        process(101, 100, "postgres: postgres postgres 127.0.0.1(5000) idle", 10, 0, 0, 0);
        process(102, 101, "postgres: parallel worker", 5, 0, 0, 0);
        process(200, 1, "java -cp x kafka.Kafka server.properties", 7, 0, 0, 0);
        process(300, 1, "some (odd) name", 99, 0, 0, 0);
        ProcessCpu cpu = new ProcessCpu(proc, List.of(ProcessCpu.Part.containing("postgres", "/bench/postgres/data"),
                ProcessCpu.Part.containing("broker", "kafka.Kafka"), ProcessCpu.Part.containing("registry", "quarkus")));

        ProcessCpu.Sample sample = cpu.sample();

        assertThat(sample.micros()).containsExactly(
                java.util.Map.entry("postgres", 25 * 10_000L),
                java.util.Map.entry("broker", 7 * 10_000L),
                java.util.Map.entry("registry", 0L));
    }

    @Test
    void aWrapperAndTheProgramItRunsAreCountedOnce() throws IOException {
        process(10, 1, "setsid java ExitWithParent kafka.Kafka", 3, 0, 0, 0);
        process(11, 10, "java ExitWithParent kafka.Kafka", 4, 0, 0, 0);

        ProcessCpu.Sample sample = new ProcessCpu(proc, List.of(ProcessCpu.Part.containing("broker", "kafka.Kafka")))
                .sample();

        assertThat(sample.micros()).containsEntry("broker", 7 * 10_000L);
    }

    @Test
    void aJvmsCompilerThreadsAreCountedAsItsJitOthersAreNot() throws IOException {
        process(20, 1, "java -cp x com.personasettings.launcher.Launcher processor", 50, 10, 0, 0);
        thread(20, 21, "C2 CompilerThre", 12, 3);
        thread(20, 22, "C1 CompilerThre", 4, 1);
        thread(20, 23, "GC Thread#0", 7, 0);
        thread(20, 24, "bench-StreamThr", 20, 2);
        process(30, 1, "java kafka.Kafka", 9, 0, 0, 0); // no task directory: no JIT counted, no failure

        ProcessCpu.Sample sample = new ProcessCpu(proc, List.of(ProcessCpu.Part.containing("processor", "Launcher processor"),
                ProcessCpu.Part.containing("broker", "kafka.Kafka"))).sample();

        assertThat(sample.micros()).containsEntry("processor", 60 * 10_000L);
        assertThat(sample.jitMicros()).containsEntry("processor", 20 * 10_000L).containsEntry("broker", 0L);
        var later = new ProcessCpu.Sample(sample.micros(), java.util.Map.of("processor", 25 * 10_000L, "broker", 0L));
        assertThat(later.jitSince(sample)).containsEntry("processor", 5 * 10_000L);
    }

    @Test
    void theDifferenceOfTwoSamplesIsWhatEachPartUsedBetweenThem() {
        var before = new ProcessCpu.Sample(java.util.Map.of("gateway", 1_000L, "broker", 500L));
        var after = new ProcessCpu.Sample(new java.util.LinkedHashMap<>(java.util.Map.of("gateway", 4_000L, "broker", 500L)));

        assertThat(after.since(before)).containsEntry("gateway", 3_000L).containsEntry("broker", 0L);
    }

    @Test
    void readsTheRealProcFileSystem() {
        long pid = ProcessHandle.current().pid();
        ProcessCpu cpu = new ProcessCpu(List.of(new ProcessCpu.Part("this JVM",
                line -> line.contains(ProcessCpuTest.class.getName()) || line.contains("surefire"))));
        ProcessCpu.Sample before = cpu.sample();
        long spin = System.nanoTime() + 300_000_000L;
        double sink = 0;
        while (System.nanoTime() < spin) {
            sink += Math.sqrt(sink + 1);
        }
        assertThat(sink).isPositive();
        assertThat(cpu.sample().since(before).get("this JVM")).as("pid %d", pid).isGreaterThanOrEqualTo(100_000L);
        // HotSpot has compiled something by now, on threads named as ProcessCpu looks for them.
        assertThat(cpu.sample().jitMicros().get("this JVM")).isPositive();
    }

    /** A thread of a process, as /proc/[pid]/task/[tid]/stat shows it: named by the JVM, its own utime and stime. */
    private void thread(int pid, int tid, String name, long utime, long stime) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)));
        Files.writeString(dir.resolve("stat"), tid + " (" + name + ") S " + pid + " 1 1 0 -1 4194304 100 0 0 0 "
                + utime + " " + stime + " 0 0 20 0 1 0 4305406 3133440 411");
    }

    private void process(int pid, int ppid, String commandLine, long utime, long stime, long cutime, long cstime)
            throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        // As comm: the first 15 characters, spaces and parentheses included.
        String name = commandLine.substring(0, Math.min(15, commandLine.length()));
        // Fields 3-13 (state ... cmajflt), then 14-17, then the rest of the line.
        Files.writeString(dir.resolve("stat"), pid + " (" + name + ") S " + ppid + " 1 1 0 -1 4194304 100 0 0 0 "
                + utime + " " + stime + " " + cutime + " " + cstime + " 20 0 1 0 4305406 3133440 411");
        Files.writeString(dir.resolve("cmdline"), commandLine.replace(' ', '\0'));
    }
}
