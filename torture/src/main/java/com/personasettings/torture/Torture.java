package com.personasettings.torture;

import com.personasettings.devstack.Service;
import com.personasettings.bench.OpenLoop;
import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.client.PersonaClient;
import com.personasettings.processor.replay.Progress;
import com.personasettings.processor.replay.ReplayRun;
import com.personasettings.processor.replay.StartPosition;
import com.personasettings.devstack.FileTrees;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./persona-settings torture}: faults under load, then the ledger. Starts a {@link TortureStack}, sets up a
 * workload through the API, runs the open-loop load against both gateways while the {@link Schedule} injects the
 * {@link Faults} one after another, waits until the processors have caught up, and checks the {@link Ledger}.
 * Everything it starts stops with it; its folder keeps the logs, {@code requests.jsonl} (every request and every
 * send) and {@code report.txt}.
 */
public final class Torture {

    /** Exit status: the ledger holds. */
    public static final int PASSED = 0;
    /** Exit status: the ledger found violations. */
    public static final int FAILED = 1;
    /** Exit status: the run could not be completed (a part did not start or come back). */
    public static final int COULD_NOT_RUN = 2;

    /**
     * @param load              how long the load runs (the baseline and each fault get an equal share)
     * @param rate              requests per second, spread over both gateways
     * @param launcherMainClass the {@code ./persona-settings} main class, run for each service
     */
    public record Options(Duration load, double rate, Path dir, int basePort, int numbers, int personas, int movers,
                          long seed, String launcherMainClass) {
    }

    private Torture() {
    }

    public static int run(Options options, PrintStream console) throws Exception {
        Path dir = options.dir().toAbsolutePath();
        FileTrees.delete(dir);
        Files.createDirectories(dir);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(console, copy), true, StandardCharsets.UTF_8);
        try {
            return run(options, dir, out);
        } catch (Exception e) {
            out.println("The torture run could not be completed: " + e);
            e.printStackTrace(out);
            return COULD_NOT_RUN;
        } finally {
            out.flush();
            Files.write(dir.resolve("report.txt"), copy.toByteArray());
        }
    }

    private static int run(Options options, Path dir, PrintStream out) throws Exception {
        out.printf("Torture run: %.1f minutes of load at %.0f requests/s, seed %d, in %s%n",
                options.load().toMillis() / 60_000.0, options.rate(), options.seed(), dir);
        try (TortureStack stack = TortureStack.start(dir, new TorturePorts(options.basePort()),
                options.launcherMainClass(), out)) {
            RequestLog log = new RequestLog();
            DataSource database = stack.database();
            List<Phase> phases;
            Setup setup;
            try (PersonaClient client = Operator.client(stack.kafka.bootstrapServers(), stack.registry.url())) {
                Operator operator = new Operator(new GatewayDatabase(database), client);
                setup = Setup.org(operator);
                try (Sender sender = new Sender(List.of(stack.gateway(0), stack.gateway(1)), setup.apiKey(), log)) {
                    AtomicLong ids = new AtomicLong();
                    out.println("Setting up " + options.numbers() + " numbers on " + options.personas()
                            + " personas through the API ...");
                    setup = setup.populate(operator, sender, database, ids, options.numbers(), options.personas(),
                            options.movers());
                    phases = load(stack, sender, new Mix(setup, options.seed(), ids), options, out);
                }
            }
            out.println("Load done: " + log.attempts().size() + " requests sent. Waiting for the processors to catch up ...");
            LedgerReader reader = new LedgerReader(stack.kafka.bootstrapServers(), stack.registry.url(), database);
            try {
                reader.awaitCaughtUp();
            } catch (IllegalStateException stuck) {
                // The logs stay in the run's folder, but a CI run shows only its output: the processors' last words.
                for (Service processor : stack.processors) {
                    out.println(processor + ", " + processor.state() + ", last warnings and errors:");
                    processor.lastProblems(30).forEach(line -> out.println("  " + line));
                }
                throw stuck;
            }
            LedgerData data = reader.read();
            out.println("Read " + data.rows().size() + " outcome rows, " + data.log().size() + " command records, "
                    + data.outcomes().values().stream().mapToInt(List::size).sum() + " committed outcomes. Replaying"
                    + " the command log into a fresh database (replay --verify) ...");
            Ledger.ReplayResult replay = replay(stack);
            log.write(dir.resolve("requests.jsonl"));
            LedgerReport report = Ledger.check(new Ledger.Requests(setup.org(), setup.provisionIds(), log.intents(),
                    log.attemptsByIntent(), phases), data, replay);
            report.print(phases, out);
            out.println("Every request and send: " + dir.resolve("requests.jsonl") + "; logs of every part: " + dir);
            return report.passed() ? PASSED : FAILED;
        }
    }

    /** Runs the load until the schedule has injected (and recovered from) every fault; returns the phases. */
    private static List<Phase> load(TortureStack stack, Sender sender, Mix mix, Options options, PrintStream out)
            throws Exception {
        Duration phase = Schedule.phaseFor(options.load(), Faults.COUNT);
        List<Fault> faults = Faults.standard(stack, phase);
        Schedule schedule = new Schedule(phase, faults, out);
        out.printf("Load: %.0f requests/s over both gateways; %d phases of at least %d s: baseline, %s%n",
                options.rate(), faults.size() + 1, phase.toSeconds(),
                String.join(", ", faults.stream().map(Fault::name).toList()));
        CompletableFuture<List<Phase>> phases = new CompletableFuture<>();
        Thread faulting = new Thread(() -> {
            try {
                phases.complete(schedule.run());
            } catch (Throwable e) {
                phases.completeExceptionally(e);
            }
        }, "fault-schedule");
        faulting.setDaemon(true);
        faulting.start();
        // The load follows the schedule; its own bound only matters if the schedule hangs somewhere unbounded.
        Duration atMost = options.load().multipliedBy(2).plusMinutes(10);
        OpenLoop.Result result = OpenLoop.run(options.rate(), atMost, () -> !phases.isDone(),
                i -> sender.send(mix.next((int) (i % 2))));
        try {
            List<Phase> done = phases.join();
            out.printf("Latency from due to last answer (retries included): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    result.latency().getValueAtPercentile(50) / 1000.0, result.latency().getValueAtPercentile(99) / 1000.0,
                    result.latency().getMaxValue() / 1000.0);
            return done;
        } catch (CompletionException e) {
            throw new IllegalStateException("the fault schedule failed", e.getCause());
        }
    }

    private static Ledger.ReplayResult replay(TortureStack stack) throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            status = new ReplayRun(StartPosition.beginning(), null, true, Duration.ofMinutes(2))
                    .run(stack.processorConfig(), out, Progress.none());
        } catch (RuntimeException e) {
            return new Ledger.ReplayResult(2, List.of("replay failed: " + e));
        }
        return new Ledger.ReplayResult(status, printed.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** Writes to the console and keeps a copy for report.txt. */
    private static final class Tee extends java.io.OutputStream {
        private final PrintStream console;
        private final ByteArrayOutputStream copy;

        Tee(PrintStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) {
            console.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            console.write(b, off, len);
            copy.write(b, off, len);
        }

        @Override
        public void flush() {
            console.flush();
        }
    }
}
