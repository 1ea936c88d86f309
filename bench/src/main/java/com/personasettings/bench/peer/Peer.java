package com.personasettings.bench.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.personasettings.gateway.GatewayConfig;
import com.personasettings.gateway.auth.ApiKeys;
import com.personasettings.gateway.db.GatewayDatabase;
import com.personasettings.gateway.http.Admission;
import com.personasettings.gateway.http.Commands;
import com.personasettings.gateway.http.GatewayMetrics;
import com.personasettings.gateway.http.RequestBodies;
import com.personasettings.platform.DataSources;
import com.personasettings.platform.Database;
import com.personasettings.platform.Pool;
import com.personasettings.processor.db.Repository;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Duration;

/**
 * The CRUD peer: the settings PATCH as a team without Kafka would build it, one PostgreSQL transaction per request,
 * behind the gateway's HTTP stack and authentication. A benchmark reference, not product code: it measures what the
 * same answers cost without the command log.
 */
public final class Peer implements AutoCloseable {

    /**
     * As the gateway's: with PostgreSQL down (or every connection busy) a request waits this long for a connection,
     * then is answered 503, instead of holding a Jetty thread for HikariCP's default 30 s.
     */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    private final HikariDataSource data;
    private final HikariDataSource keys;
    private final Javalin http;

    private Peer(HikariDataSource data, HikariDataSource keys, Javalin http) {
        this.data = data;
        this.keys = keys;
        this.http = http;
    }

    /**
     * Migrates the peer's database to the processor's schema and starts serving.
     *
     * @param config the gateway's settings: port ({@code 0} for any free one), body limit, key checks, rate limits,
     *               and the gateway's database, where API keys are read (its schema is the gateway's to migrate)
     * @param peerDatabase the peer's own database: {@code inbound_numbers} and {@code command_outcomes}
     */
    public static Peer start(GatewayConfig config, Database peerDatabase) {
        // 10 connections: at most 10 transactions in flight, the requests beyond them wait for a connection. A PATCH
        // holds its connection for four round trips and a commit that waits for the WAL flush; meanwhile the others
        // run, and commits that arrive together share one flush, so several connections per core pay off (the bench
        // machine has 2 cores, shared with this JVM and the load generator). Many more would only add backends
        // competing for those cores, and requests queued on one number's row lock each hold a connection while they
        // wait. 10 is also HikariCP's default and the gateway's pool size: neither side of the comparison is tuned.
        HikariDataSource data = DataSources.pooled(peerDatabase,
                Pool.of("peer-db", 10).connectionTimeout(CONNECTION_TIMEOUT));
        HikariDataSource keys = null;
        try {
            // Key lookups only (the first of a key on the request that brings it, then ApiKeys' two background
            // threads checking it again), the answers cached: two connections.
            keys = DataSources.pooled(config.database(), Pool.of("peer-keys", 2).connectionTimeout(CONNECTION_TIMEOUT));
            Repository.migrate(data);
            ObjectMapper json = new ObjectMapper();
            // Admission counts refusals into the gateway's metrics; the peer shows them nowhere.
            Admission admission = new Admission(new ApiKeys(new GatewayDatabase(keys).accounts(), config.keyCheck()),
                    config, new GatewayMetrics(new SimpleMeterRegistry()));
            SettingsEndpoint settings = new SettingsEndpoint(new RequestBodies(json), new Commands(Clock.systemUTC()),
                    new SettingsTransaction(new Repository(data).jdbi()));
            Javalin http = PeerHttp.create(config, json, admission, settings).start(config.port());
            return new Peer(data, keys, http);
        } catch (RuntimeException e) {
            data.close();
            if (keys != null) {
                keys.close();
            }
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.stop();
        data.close();
        keys.close();
    }
}
