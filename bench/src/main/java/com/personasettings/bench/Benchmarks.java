package com.personasettings.bench;

import com.personasettings.gateway.admin.Operator;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.client.PersonaClient;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.replay.Progress;
import com.personasettings.processor.replay.Replay;
import com.personasettings.processor.replay.StartPosition;
import com.personasettings.processor.stream.OperatorSignature;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.ProvisionNumber;
import com.personasettings.schemas.Topics;
import com.personasettings.schemas.UpdatePersonaSettings;
import com.personasettings.schemas.PersonaSettings;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.AvroSerializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.devstack.Postgres;
import com.personasettings.platform.Database;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every figure of docs/benchmarks.md in one run on a fresh stack: first the machine's ceilings, then the
 * product — sync latency at fixed rates, async end-to-end throughput, draining a pre-filled command log,
 * restart with that state (clean, and after {@code kill -9}), and replay of the whole log. The load comes from a
 * JVM of its own ({@link LoadGenerator}); the CPU each process used is read from /proc around every phase
 * ({@link ProcessCpu}) and reported per command.
 */
public final class Benchmarks {

    /**
     * What to run; {@link #full()} is the documented run, {@link #smoke()} the seconds-long CI check.
     *
     * @param commitPolicies how the processor commits (interval, on demand or not) in turn while every sync rate is
     *                       run, since that sets the sync latency; everything else runs at the processor's default
     * @param profileDir     null, or where to write flame graphs of the gateway, the processor and the broker, taken
     *                       in a sync run of their own at the highest rate after the measured ones
     */
    public record Plan(List<Integer> syncRates, Duration syncDuration, List<CommitPolicy> commitPolicies,
                       List<Integer> asyncRates, Duration asyncDuration, int drainCommands, int numbers, int personas,
                       int postgresCommands, Path profileDir) {

        public static Plan full() {
            return new Plan(List.of(200, 1000, 2000), Duration.ofSeconds(30),
                    policies(List.of(Duration.ofMillis(100), Duration.ofMillis(20)), List.of(false, true)),
                    List.of(1000, 2000, 4000), Duration.ofSeconds(20),
                    1_000_000, 2_000, 20, 5_000, null);
        }

        public static Plan smoke() {
            return new Plan(List.of(50), Duration.ofSeconds(2), List.of(new CommitPolicy(Duration.ofMillis(50), true)),
                    List.of(100),
                    Duration.ofSeconds(2), 2_000, 100, 2, 200, null);
        }
    }

    /** Every interval with every on-demand setting, intervals first. */
    public static List<CommitPolicy> policies(List<Duration> intervals, List<Boolean> onDemand) {
        return onDemand.stream().flatMap(demand -> intervals.stream().map(i -> new CommitPolicy(i, demand))).toList();
    }

    private final Plan plan;
    private final String launcherMainClass;
    private final PrintStream log;

    /** @param launcherMainClass the {@code ./persona-settings} main class, run for the processor and the gateway */
    public Benchmarks(Plan plan, String launcherMainClass, PrintStream log) {
        this.plan = plan;
        this.launcherMainClass = launcherMainClass;
        this.log = log;
    }

    public Results run(Path workDir) throws Exception {
        try (BenchStack stack = BenchStack.start(workDir, launcherMainClass)) {
            SchemaRegistryClient registry = new SchemaRegistryClient(stack.registry.url());
            int recordSize = new AvroSerializer<InboundCommand>(registry).serialize(Topics.COMMANDS, sampleCommand()).length;

            log.println("Ceilings: PostgreSQL, one command per transaction and batched ...");
            Ceilings.Postgres single;
            Ceilings.Postgres batched;
            Ceilings.Postgres copied;
            // The ceilings write on one connection at a time, as the processor's one stream thread does.
            try (HikariDataSource ceilingDb = DataSources.pooled(
                    new Database(stack.postgres.createDatabase("bench_ceiling"), Postgres.USER, ""),
                    Pool.of("bench-ceiling", 2))) {
                Repository.migrate(ceilingDb);
                Repository repository = new Repository(ceilingDb);
                Ceilings.postgresOneCommandPerTransaction(repository, plan.postgresCommands() / 5);    // warm-up
                single = Ceilings.postgresOneCommandPerTransaction(repository, plan.postgresCommands());
                batched = Ceilings.postgresBatched(repository, plan.postgresCommands() * 40, Replay.BATCH);
                copied = Ceilings.postgresCopy(repository, plan.postgresCommands() * 40, Replay.BATCH);
            }
            log.println("Ceiling: Kafka produce (ProducerPerformance, acks=all, " + recordSize + "-byte records) ...");
            double kafka = Ceilings.kafkaProduce(stack.kafka.bootstrapServers(), "bench.produce-ceiling",
                    plan.drainCommands(), recordSize);

            Duration firstStart = stack.startProcessor();
            URI gateway = stack.startGateway();
            DataSource db = stack.postgres.dataSource();
            List<ProcessCpu.Part> parts = new ArrayList<>(stack.parts());
            parts.add(ProcessCpu.Part.containing(CpuUse.LOAD_GENERATOR, LoadGenerator.commandLineMarker()));
            ProcessCpu cpu = new ProcessCpu(parts);
            List<Results.Sync> sync;
            List<Results.Async> async;
            List<Results.Reference> references;
            Workload.Spec spec;
            try (Workload workload = workload(stack, registry, gateway, db)) {
                spec = workload.spec();
            }
            log.println("Starting the CRUD peer with the same numbers ...");
            URI peer = stack.startPeer(spec);
            CpuUse drainCpu;
            double drainPerSecond;
            Results.Restart restart;
            Results.Restart restartAfterKill;
            Results.Restart restartWithoutState;
            try (LoadGenerator generator = LoadGenerator.start(workDir, spec)) {
                Phases phases = new Phases(generator, cpu, gateway);
                sync = syncRuns(stack, phases);
                async = asyncRuns(db, spec.org(), phases);
                references = references(new Phases(generator, cpu, peer));

                log.println("Drain: " + plan.drainCommands() + " provisioning commands written while the processor is stopped ...");
                stack.stopProcessor();
                prefill(stack.kafka.bootstrapServers(), registry, 0, plan.drainCommands());
                ProcessCpu.Sample beforeDrain = cpu.sample();
                long drainStart = System.nanoTime();
                stack.startProcessor();
                awaitCaughtUp(stack.kafka.bootstrapServers(), stack.processorConfig().applicationId());
                Duration drainTime = Duration.ofNanos(System.nanoTime() - drainStart);
                checkDrained(db, plan.drainCommands());
                drainCpu = CpuUse.between(beforeDrain, cpu.sample(), plan.drainCommands(), drainTime);
                drainPerSecond = plan.drainCommands() / (drainTime.toNanos() / 1e9);

                log.println("Restart with " + (plan.drainCommands() + plan.numbers()) + " numbers in the state, clean ...");
                stack.stopProcessor();
                restart = restart(stack, phases);
                log.println("... after kill -9 (the stores read back what their changelogs hold past the offsets they recorded) ...");
                stack.killProcessor();
                restartAfterKill = restart(stack, phases);
                log.println("... and after kill -9 with the state directory gone (a new host: every store read back from its changelog) ...");
                stack.killProcessor();
                stack.deleteProcessorState();
                restartWithoutState = restart(stack, phases);
            }

            log.println("Replay of the whole command log into a fresh database ...");
            Replay.Result replay;
            try (HikariDataSource target = DataSources.pooled(
                    new Database(stack.postgres.createDatabase("bench_replay"), Postgres.USER, ""),
                    Pool.of("bench-replay", 2));
                 var consumer = Replay.consumer(stack.kafka.bootstrapServers())) {
                Repository.migrate(target);
                // The bench stack's processor runs without an operator key, so neither does its replay.
                try (Replay run = new Replay(consumer, new AvroDeserializer<>(InboundCommand.class, registry),
                        OperatorSignature.none(), new Repository(target), Progress.none())) {
                    replay = run.run(StartPosition.beginning());
                }
            }
            if (plan.profileDir() != null) {
                profileDrain(stack, registry, cpu, drainPerSecond);
            }
            return new Results(Instant.now(), recordSize, single, batched, copied, kafka, firstStart, sync, async,
                    references, plan.drainCommands(), drainPerSecond, drainCpu, plan.drainCommands() + plan.numbers(), restart,
                    restartAfterKill, restartWithoutState, replay);
        }
    }

    private Workload workload(BenchStack stack, SchemaRegistryClient registry, URI gateway, DataSource db)
            throws Exception {
        try (PersonaClient client = Operator.client(stack.kafka.bootstrapServers(), registry.baseUrl())) {
            log.println("Setting up " + plan.numbers() + " numbers on " + plan.personas() + " personas ...");
            return Workload.setUp(new Operator(new GatewayDatabase(db), client),
                    db, gateway, plan.personas(), plan.numbers());
        }
    }

    /** Requests in the burst that checks a restarted processor serves every partition. */
    private static final int RESTART_PROBES = 100;

    /**
     * Starts the processor and times it to Kafka Streams' RUNNING, then to serving: a burst of sync PATCHes over
     * numbers of every partition (100 at once, 2,000 numbers on 6 partitions) is sent at RUNNING, and the restart is
     * over when the last is answered; a burst answered 202 (the reply timeout passed) makes the figure a lower bound.
     */
    private static Results.Restart restart(BenchStack stack, Phases phases) throws Exception {
        long start = System.nanoTime();
        Duration running = stack.startProcessor();
        OpenLoop.Result probes = phases.run(LoadGenerator.Kind.PATCH, RESTART_PROBES * 100.0, Duration.ofMillis(10));
        return new Results.Restart(running, Duration.ofNanos(System.nanoTime() - start), probes.statuses(),
                stack.restoredRecords());
    }

    /** Runs phases in the load generator's JVM and measures what each process spent on them. */
    private record Phases(LoadGenerator generator, ProcessCpu cpu, URI gateway) {

        OpenLoop.Result run(LoadGenerator.Kind kind, double rate, Duration duration) throws IOException {
            return generator.run(kind, gateway, rate, duration);
        }

        /** Every sync rate in turn, lowest first, for a third of the sync duration each: nothing is measured. */
        void warmUp(LoadGenerator.Kind kind, Plan plan) throws IOException {
            for (int rate : plan.syncRates().stream().sorted().toList()) {
                run(kind, rate, plan.syncDuration().dividedBy(3));
            }
        }

        /** A sync run, with the CPU each process spent per answered request. */
        Measured measured(LoadGenerator.Kind kind, double rate, Duration duration) throws IOException {
            ProcessCpu.Sample before = cpu.sample();
            long start = System.nanoTime();
            OpenLoop.Result run = run(kind, rate, duration);
            return new Measured(run, CpuUse.between(before, cpu.sample(), run.answered(),
                    Duration.ofNanos(System.nanoTime() - start)));
        }
    }

    private record Measured(OpenLoop.Result run, CpuUse cpu) {
    }

    /**
     * Every sync rate at every commit interval; leaves the processor running at its default interval.
     * The JVMs are warmed up at every rate in turn before each commit policy's runs, its processor being a new JVM:
     * without that, whichever interval went first was measured on a colder JVM, and its tail came out several times
     * longer (a run with the order reversed showed it), which is no property of the interval; and a processor JIT-
     * compiling its hot paths (a profile of a JVM a minute old showed its C2 compiler threads at half its CPU)
     * charges the first rate's CPU per command with it.
     */
    private List<Results.Sync> syncRuns(BenchStack stack, Phases phases) throws Exception {
        List<Results.Sync> sync = new ArrayList<>();
        for (CommitPolicy policy : plan.commitPolicies()) {
            stack.stopProcessor();
            stack.startProcessor(policy);
            log.println("Warm-up, " + policy.label() + ": every sync rate in turn for "
                    + plan.syncDuration().toSeconds() / 3 + " s ...");
            phases.warmUp(LoadGenerator.Kind.PATCH, plan);
            for (int rate : plan.syncRates()) {
                log.println("Sync PATCH at " + rate + " requests/s for " + plan.syncDuration().toSeconds()
                        + " s, " + policy.label() + " ...");
                Measured measured = phases.measured(LoadGenerator.Kind.PATCH, rate, plan.syncDuration());
                sync.add(new Results.Sync(policy, measured.run(), measured.cpu()));
            }
        }
        if (plan.profileDir() != null) {
            profile(phases, Collections.max(plan.syncRates()));
        }
        stack.stopProcessor();
        stack.startProcessor();
        // The async runs' processor: warmed up as the sync runs' were.
        phases.warmUp(LoadGenerator.Kind.PATCH, plan);
        return sync;
    }

    /**
     * Flame graphs of the servers in a sync run of their own (the profilers cost CPU too, so no figure is taken from
     * it), the last commit policy's processor warm from the measured runs.
     */
    private void profile(Phases phases, int rate) throws Exception {
        Map<String, Long> pids = phases.cpu().pids();
        pids.keySet().retainAll(List.of("gateway", "processor", "broker"));
        log.println("Profiling " + pids.keySet() + " with async-profiler during sync PATCH at " + rate + " requests/s ...");
        // Attaching takes a moment: the profilers stop a little before the run does.
        Duration length = plan.syncDuration().minusSeconds(3).compareTo(Duration.ofSeconds(1)) > 0
                ? plan.syncDuration().minusSeconds(3) : Duration.ofSeconds(1);
        FlameGraphs.Recording recording = FlameGraphs.start(pids, length, plan.profileDir());
        phases.run(LoadGenerator.Kind.PATCH, rate, plan.syncDuration());
        recording.await();
    }

    /**
     * A flame graph of the processor draining ({@code flame-processor-drain.html}): a fifth as many new numbers'
     * provisioning commands again, written while it is stopped, and the profiler attached from RUNNING for most of the
     * time the measured drain's rate says they take (that rate counts the JVM's start too, so at small scale the
     * profile runs past the drain's end). A drain of its own, after every measurement, so that neither the profiler's
     * cost nor these commands are in any figure.
     */
    private void profileDrain(BenchStack stack, SchemaRegistryClient registry, ProcessCpu cpu, double drainPerSecond)
            throws Exception {
        int commands = Math.max(1, plan.drainCommands() / 5);
        log.println("Profiling the processor draining " + commands + " more commands with async-profiler ...");
        stack.stopProcessor();
        prefill(stack.kafka.bootstrapServers(), registry, plan.drainCommands(), commands);
        stack.startProcessor();
        Duration length = Duration.ofSeconds(Math.max(1, (long) (0.8 * commands / drainPerSecond)));
        FlameGraphs.Recording recording = FlameGraphs.start(
                Map.of("processor-drain", cpu.pids().get("processor")), length, plan.profileDir());
        awaitCaughtUp(stack.kafka.bootstrapServers(), stack.processorConfig().applicationId());
        recording.await();
    }

    /**
     * Each offered async rate, timed until every accepted command is persisted with its outcome; the CPU is counted
     * over the same span, per accepted command.
     */
    private List<Results.Async> asyncRuns(DataSource db, UUID org, Phases phases) throws Exception {
        List<Results.Async> async = new ArrayList<>();
        for (int rate : plan.asyncRates()) {
            log.println("Async PATCH at " + rate + " requests/s for " + plan.asyncDuration().toSeconds()
                    + " s, until every accepted command is persisted ...");
            Instant start = Instant.now();
            ProcessCpu.Sample before = phases.cpu().sample();
            long startNanos = System.nanoTime();
            OpenLoop.Result run = phases.run(LoadGenerator.Kind.PATCH_ASYNC, rate, plan.asyncDuration());
            long accepted = run.statuses().getOrDefault(202, 0L);
            awaitOutcomes(db, org, start, accepted);
            Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
            async.add(new Results.Async(run, accepted / (wall.toNanos() / 1e9),
                    CpuUse.between(before, phases.cpu().sample(), accepted, wall)));
        }
        return async;
    }

    /**
     * The CRUD peer's PATCH and the HTTP ceiling at every rate the product ran at, sync or async: the same mix from
     * the same generator, after a warm-up of each at the sync rates.
     */
    private List<Results.Reference> references(Phases peer) throws IOException {
        List<Integer> rates = java.util.stream.Stream.concat(plan.syncRates().stream(), plan.asyncRates().stream())
                .distinct().sorted().toList();
        List<Results.Reference> references = new ArrayList<>();
        for (Results.Peer kind : Results.Peer.values()) {
            LoadGenerator.Kind requests = kind == Results.Peer.CRUD ? LoadGenerator.Kind.PATCH : LoadGenerator.Kind.PING;
            peer.warmUp(requests, plan);
            for (int rate : rates) {
                log.println(kind.label + " at " + rate + " requests/s for " + plan.syncDuration().toSeconds() + " s ...");
                Measured measured = peer.measured(requests, rate, plan.syncDuration());
                references.add(new Results.Reference(kind, measured.run(), measured.cpu()));
            }
        }
        return references;
    }

    private static void awaitOutcomes(DataSource db, UUID org, Instant since, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (countSince(db, org, since) < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("accepted commands still not persisted after 10 minutes");
            }
            Thread.sleep(50); // polling the table: 50 ms is the resolution of the async figure
        }
    }

    private static long countSince(DataSource db, UUID org, Instant since) {
        try (var connection = db.getConnection(); var statement = connection.prepareStatement(
                "select count(*) from command_outcomes where org_id = ? and issued_at >= ?")) {
            statement.setObject(1, org); // a UUID: org_id is a uuid column
            statement.setTimestamp(2, Timestamp.from(since));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The org the drained numbers are provisioned to: a lowercase UUID, as the processor requires of an org id. */
    private static final UUID DRAIN_ORG = UUID.fromString("be9c0000-0000-4000-8000-0000000000d1");

    /**
     * Fails the run unless every drained command provisioned its number: a drain of refusals (a command the
     * processor finds invalid still gets an outcome row, so the log's end is reached all the same) would measure
     * something else, and the restarts after it would hold none of those numbers.
     */
    private static void checkDrained(DataSource db, int commands) {
        long provisioned = Workload.count(db, "select count(*) from inbound_numbers where org_id = ?", DRAIN_ORG);
        if (provisioned != commands) {
            throw new IllegalStateException("the drain provisioned " + provisioned + " of its " + commands
                    + " numbers: see the outcomes of org " + DRAIN_ORG);
        }
    }

    /**
     * Provisions {@code count} new numbers straight onto the command log, as the processor's copies of the operator's
     * commands arrive there (the bench stack's processor runs without an operator key, so they count unsigned).
     */
    private static void prefill(String bootstrap, SchemaRegistryClient registry, int from, int count) {
        try (KafkaProducer<String, InboundCommand> producer = bulkProducer(bootstrap, registry)) {
            Instant issued = Instant.now();
            for (int i = from; i < from + count; i++) {
                String number = String.format("+1888%07d", i);
                InboundCommand command = InboundCommand.newBuilder().setCommandId(UUID.randomUUID())
                        .setOrgId(DRAIN_ORG.toString()).setIssuedAt(issued).setActor("bench").setPhoneNumber(number)
                        .setPayload(new ProvisionNumber(i + 1L, "drained " + i)).build();
                producer.send(new ProducerRecord<>(Topics.COMMANDS, number, command));
            }
            producer.flush();
        }
    }

    /** A producer of commands for filling the log fast: acks=all like the gateway, large batches. */
    static KafkaProducer<String, InboundCommand> bulkProducer(String bootstrap, SchemaRegistryClient registry) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new AvroSerializer<>(registry));
    }

    /** Waits until the processor's group has committed up to the end of every commands partition. */
    static void awaitCaughtUp(String bootstrap, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.COMMANDS)).allTopicNames().get()
                    .get(Topics.COMMANDS).partitions().stream()
                    .map(p -> new TopicPartition(Topics.COMMANDS, p.partition())).toList();
            Map<TopicPartition, Long> end = admin.listOffsets(partitions.stream()
                            .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all().get()
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the processor did not drain the command log in 30 minutes");
                }
                Thread.sleep(100); // polling the group's offsets: 100 ms is the resolution of the drain figure
            }
        }
    }

    private static InboundCommand sampleCommand() {
        return InboundCommand.newBuilder().setCommandId(UUID.randomUUID()).setOrgId(UUID.randomUUID().toString())
                .setIssuedAt(Instant.now()).setActor("key:" + UUID.randomUUID()).setPhoneNumber("+14155551234")
                .setPayload(new UpdatePersonaSettings("12345678-1234-1234-1234-123456789012",
                        new PersonaSettings("pathway_abc123", 2L, "node_xyz"))).build();
    }
}
