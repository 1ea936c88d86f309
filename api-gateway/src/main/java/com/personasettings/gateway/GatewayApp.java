package com.personasettings.gateway;

import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.db.AcceptedCommands;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.http.Admission;
import com.personasettings.gateway.http.GatewayMetrics;
import com.personasettings.gateway.http.HttpApi;
import com.personasettings.platform.ops.Metrics;
import com.personasettings.platform.ops.Tracing;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.personasettings.gateway.kafka.CommandPublisher;
import com.personasettings.gateway.lifecycle.PersonaSweeper;
import com.personasettings.gateway.kafka.ReplyRouter;
import com.personasettings.schemas.CommandOutcome;
import com.personasettings.schemas.registry.AvroDeserializer;
import com.personasettings.schemas.registry.SchemaRegistryClient;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Pool;
import com.zaxxer.hikari.HikariDataSource;
import com.personasettings.platform.health.Checks;
import com.personasettings.platform.health.Readiness;
import io.javalin.Javalin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs the gateway: its tables, its reply topic and consumer, the producer, and the HTTP server. */
public final class GatewayApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

    /** Readiness checks run this often, each allowed this long before it counts as failed. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

    private final HikariDataSource dataSource;
    private final ReplyRouter replies;
    private final CommandPublisher publisher;
    private final AcceptedCommands accepted;
    private final Admin admin;
    private final Readiness readiness;
    private final ExecutorService blocking;
    private final PersonaSweeper sweeper;
    private final Admission admission;
    private final Tracing tracing;
    private final Javalin http;

    private GatewayApp(HikariDataSource dataSource, ReplyRouter replies, CommandPublisher publisher,
                       AcceptedCommands accepted, Admin admin, Readiness readiness, ExecutorService blocking,
                       PersonaSweeper sweeper, Admission admission, Tracing tracing, Javalin http) {
        this.dataSource = dataSource;
        this.replies = replies;
        this.publisher = publisher;
        this.accepted = accepted;
        this.admin = admin;
        this.readiness = readiness;
        this.blocking = blocking;
        this.sweeper = sweeper;
        this.admission = admission;
        this.tracing = tracing;
        this.http = http;
    }

    public static GatewayApp start(GatewayConfig config) {
        HikariDataSource dataSource = dataSource(config);
        GatewayDatabase.migrate(dataSource);
        GatewayDatabase db = new GatewayDatabase(dataSource);
        SchemaRegistryClient registry = new SchemaRegistryClient(config.schemaRegistryUrl());
        ReplyRouter replies = ReplyRouter.start(config.kafkaClient(), config.instanceId(),
                new AvroDeserializer<>(CommandOutcome.class, registry));
        CommandPublisher publisher = new CommandPublisher(config.kafkaClient(), registry, replies.topic(),
                config.sendTimeout());
        Map<String, Object> adminConfig = config.kafkaClient();
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "gateway-health-" + config.instanceId());
        Admin admin = Admin.create(adminConfig);
        Readiness readiness = Readiness.start(List.of(
                Checks.kafka(admin, CHECK_TIMEOUT),
                Checks.database(dataSource, CHECK_TIMEOUT),
                Checks.registry(registry::subjects),
                new Readiness.Check("reply_consumer", replies::problem)), CHECK_INTERVAL, CHECK_TIMEOUT);
        // Writing answers once the outcomes are in (JSON, and reading a persona back for attach): a few threads suffice.
        ExecutorService blocking = Executors.newFixedThreadPool(4);
        AcceptedCommands accepted = new AcceptedCommands(db.acceptedCommands());
        PersonaSweeper sweeper = PersonaSweeper.start(db.personas(), db.numbers(), publisher, config.sweepInterval(),
                config.sendTimeout());
        PrometheusMeterRegistry meters = Metrics.forService("gateway");
        Tracing tracing = Tracing.forService("gateway");
        GatewayMetrics metrics = new GatewayMetrics(meters);
        metrics.watch(replies);
        Admission admission = new Admission(new ApiKeys(db.accounts(), config.keyCheck()), config, metrics);
        Javalin http = HttpApi.create(config, db, admission, publisher, replies, accepted, readiness, blocking,
                        meters, metrics, tracing)
                .start(config.port());
        log.info("Gateway {} listening on port {} (replies on {})", config.instanceId(), http.port(), replies.topic());
        return new GatewayApp(dataSource, replies, publisher, accepted, admin, readiness, blocking, sweeper, admission, tracing,
                http);
    }

    /** The reply consumer, for tests that look at what waits for replies. */
    ReplyRouter replies() {
        return replies;
    }

    /** Authentication and limits, for tests that check a flood of bad keys spares the database and the servlet. */
    Admission admission() {
        return admission;
    }

    public int port() {
        return http.port();
    }

    private static HikariDataSource dataSource(GatewayConfig config) {
        // 10: HikariCP's default size, shared by the HTTP threads' reads, the key checks and the accepted-commands
        // writer. With PostgreSQL down a request waits 2 s for a connection (default 30 s), then is answered 503:
        // a Jetty thread is not held for half a minute per request.
        return DataSources.pooled(config.database(), Pool.of("gateway-db", 10).connectionTimeout(Duration.ofSeconds(2)));
    }

    @Override
    public void close() throws InterruptedException {
        http.stop();
        tracing.close();
        sweeper.close();
        readiness.close();
        admin.close(Duration.ofSeconds(5));
        accepted.close();
        replies.close();
        publisher.close();
        blocking.shutdown();
        dataSource.close();
    }
}
