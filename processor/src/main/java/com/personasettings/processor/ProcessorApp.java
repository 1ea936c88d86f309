package com.personasettings.processor;

import com.personasettings.processor.db.PendingWrites;
import com.personasettings.processor.db.Repository;
import com.personasettings.processor.stream.ClientSupplier;
import com.personasettings.processor.stream.CommitPacer;
import com.personasettings.processor.stream.CommandTopology;
import com.personasettings.processor.stream.ReplyPolicy;
import com.personasettings.processor.stream.RestoreLog;
import com.personasettings.processor.stream.ReplyProductionHandler;
import com.personasettings.processor.stream.ReplyTopics;
import com.personasettings.processor.stream.TopologySerdes;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.InboundCommand;
import com.personasettings.schemas.InboundNumber;
import com.personasettings.schemas.registry.AvroSerde;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import com.personasettings.platform.Redact;
import com.personasettings.platform.health.Checks;
import com.personasettings.platform.health.Readiness;
import com.personasettings.platform.ops.Metrics;
import com.personasettings.platform.ops.OpsServer;
import com.personasettings.platform.ops.Tracing;
import com.personasettings.processor.metrics.ProcessingMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/** Runs the processor: migrations, topics, then the Kafka Streams application until closed. */
public final class ProcessorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessorApp.class);

    /** Readiness checks run this often, each allowed this long before it counts as failed. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

    private final HikariDataSource dataSource;
    private final Admin admin;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final Readiness readiness;
    private final OpsServer ops;
    private final Tracing tracing;

    private ProcessorApp(HikariDataSource dataSource, Admin admin, KafkaStreams streams,
                         KafkaStreamsMetrics streamsMetrics, Readiness readiness, OpsServer ops, Tracing tracing) {
        this.dataSource = dataSource;
        this.admin = admin;
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.readiness = readiness;
        this.ops = ops;
        this.tracing = tracing;
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessorConfig config = ProcessorConfig.fromEnvironment();
        ProcessorApp app = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "processor-shutdown"));
        stopped.await();
    }

    public static ProcessorApp start(ProcessorConfig config) {
        HikariDataSource dataSource = dataSource(config);
        Repository.migrate(dataSource);
        Repository repository = new Repository(dataSource);

        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistryUrl());
        Properties properties = streamsProperties(config);
        try (Admin setup = Admin.create(config.kafkaClient())) {
            TopicSetup.ensureTopics(setup, config.topicPartitions(), config.topicReplicationFactor());
        }
        TopicSetup.ensureSchemas(registry);

        PrometheusMeterRegistry meters = Metrics.forService("processor");
        Tracing tracing = Tracing.forService("processor");
        ProcessingMetrics metrics = new ProcessingMetrics(meters);
        PendingWrites writes = new PendingWrites(repository, config.databaseRetry(), metrics);
        Admin admin = Admin.create(config.kafkaClient());
        CommitPacer pacer = CommitPacer.of(config.commitOnDemand());
        Topology topology = CommandTopology.build(serdes(registry), config.operatorSignature(), writes,
                ReplyPolicy.parse(config.replyTopicAllowlist(), new ReplyTopics(admin)), config.dedupWindow(),
                pacer, metrics, tracing.tracer());
        KafkaStreams streams = new KafkaStreams(topology, properties, new ClientSupplier(writes, pacer));
        // Kafka Streams' own metrics, its clients' included (consumer lag per partition among them). The clients
        // register some metrics only later (a partition's lag once it is fetched): looked for every 10 s, not 60.
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams, List.of(),
                Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "kafka-metrics-refresh");
                    thread.setDaemon(true);
                    return thread;
                }), Duration.ofSeconds(10));
        streamsMetrics.bindTo(meters);
        // A thread that dies (the schema registry unreachable while decoding, say) is replaced; its tasks
        // resume from the last committed transaction, so nothing is skipped. (PostgreSQL trouble does not get
        // here: DatabaseCommittingProducer abandons the transaction and the tasks are simply reprocessed.)
        streams.setUncaughtExceptionHandler(error -> {
            log.error("Stream thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        // One line per change (REBALANCING, RUNNING, ERROR, ...): Kafka's own INFO lines are off by default.
        streams.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
        streams.setGlobalStateRestoreListener(new RestoreLog(metrics));
        streams.start();
        Readiness readiness = Readiness.start(List.of(
                new Readiness.Check("streams", () -> streams.state() == KafkaStreams.State.RUNNING ? null
                        : "Kafka Streams is " + streams.state()),
                Checks.kafka(admin, CHECK_TIMEOUT),
                Checks.registry(registry::subjects),
                Checks.database(dataSource, CHECK_TIMEOUT)), CHECK_INTERVAL, CHECK_TIMEOUT);
        // Alive while Kafka Streams runs or is on its way to (a thread that dies is replaced); ERROR or NOT_RUNNING
        // is for good: restart the process.
        OpsServer ops = OpsServer.start(config.httpPort(), meters, () -> streams.state().isRunningOrRebalancing()
                || streams.state() == KafkaStreams.State.CREATED, readiness);
        log.info("Processor {} started against {} ({}; registry {}, database {})", config.applicationId(),
                config.bootstrapServers(), config.kafkaSecurity(), Redact.url(config.schemaRegistryUrl()),
                Redact.url(config.databaseUrl()));
        return new ProcessorApp(dataSource, admin, streams, streamsMetrics, readiness, ops, tracing);
    }

    public static TopologySerdes serdes(SchemaRegistryClient registry) {
        return new TopologySerdes(
                AvroSerde.forClass(InboundCommand.class, registry),
                AvroSerde.forClass(CommandOutcome.class, registry),
                AvroSerde.forClass(InboundNumber.class, registry));
    }

    static Properties streamsProperties(ProcessorConfig config) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // security.protocol, sasl.*, ssl.truststore.*: Streams hands them to every client it creates.
        p.putAll(config.kafkaSecurity().properties());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        // Each commit writes one database batch and then makes its replies visible: the interval trades
        // reply latency (a caller waits up to one interval) against batch size. The default, 20 ms rather
        // than EOS's 100, cut the sync p50 by 50-140 ms and the p99 at 2,000 requests/s from 972 to 234 ms
        // on the 2-core bench machine, for about 18 % less throughput draining a backlog (docs/benchmarks.md).
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // Restores read the changelogs 10,000 records a poll instead of 1,000: a new host reads every store back
        // (the dedup store alone holds a day's commands), and fewer, larger batches shortened that part of a restart
        // by 15-30 % in two paired runs of `bench-store --commands 1000000` (3.44 -> 2.41 s, 4.13 -> 3.64 s). Records
        // are ~200 bytes, so a poll holds about 2 MB.
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10_000);
        // Internal topics (changelogs) get the broker's default replication unless told otherwise.
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicReplicationFactor());
        // A crashed instance's partitions move after this long without heartbeats (the client default is 45 s).
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        if (config.instanceId() != null) {
            p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.instanceId());
        }
        // The dedup window's changelog is kept this much longer than the window (Streams' default is a day, which
        // a restore would read through): slack for clocks that differ between this host and the broker.
        p.put(StreamsConfig.WINDOW_STORE_CHANGE_LOG_ADDITIONAL_RETENTION_MS_CONFIG,
                Math.min(Duration.ofMinutes(10).toMillis(), config.dedupWindow().toMillis()));
        // A record without a valid timestamp (another client may write one) is processed at the partition's time
        // instead of stopping the stream thread (the default extractor fails on it).
        p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, UsePartitionTimeOnInvalidTimestamp.class);
        // A reply topic deleted after ReplyTopics checked it must not stop the partition: drop that reply only.
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ReplyProductionHandler.class);
        // A reply topic deleted while the producer still knows it costs one failed send: the producer waits for
        // its metadata (max.block.ms, default 60 s) or retries the batch (delivery.timeout.ms, default 120 s)
        // before the handler above drops it. Both stay well inside the transaction timeout, so the partition
        // pauses for seconds instead of having its transaction aborted by the broker over and over.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_BLOCK_MS_CONFIG), 10_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), 15_000);
        // A commit may wait up to the database retry budget for PostgreSQL; the broker must not abort the
        // transaction meanwhile (Streams' EOS default is 10 s).
        long transactionTimeout = Math.max(30_000, config.databaseRetry().toMillis() + 10_000);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) transactionTimeout);
        return p;
    }

    private static HikariDataSource dataSource(ProcessorConfig config) {
        // One connection per stream thread commits at a time; a spare for migrations and checks.
        Pool pool = Pool.of("processor-db", config.streamThreads() + 1)
                // Start even if PostgreSQL is down right now: commits retry until it is back.
                .openWithoutDatabase()
                // Fail a connection attempt fast (default 30 s) so the commit's retry budget is what bounds the
                // wait; 250 ms is the least HikariCP accepts.
                .connectionTimeout(Duration.ofMillis(Math.min(2_000, Math.max(250, config.databaseRetry().toMillis()))))
                // No write may hang past the Kafka transaction it belongs to: bound every statement and socket read.
                .statementTimeout(Duration.ofSeconds(15))
                .socketTimeout(Duration.ofSeconds(30));
        return DataSources.pooled(config.database(), pool);
    }

    /** Waits until the processor is RUNNING; fails if it stops trying or the timeout passes. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
                throw new IllegalStateException("the processor did not start: " + streams.state());
            }
            Thread.sleep(10); // polling a local state; 10 ms is also the resolution of the restart benchmark
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The port of /metrics and /health/*. */
    public int httpPort() {
        return ops.port();
    }

    @Override
    public void close() {
        ops.close();
        readiness.close();
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        tracing.close();
        admin.close();
        dataSource.close();
    }
}
