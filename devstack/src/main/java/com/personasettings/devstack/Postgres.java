package com.personasettings.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server from embedded binaries (io.zonky), on a fixed port and data directory so it can
 * be stopped and started again, as an outage, with its data intact. It stops by itself (fast shutdown) when
 * this JVM is gone without having closed it (see {@link PostmasterWatch}).
 */
public final class Postgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    /** Where the server listens: PostgreSQL's default listen_addresses, which io.zonky keeps. */
    public static final String HOST = "localhost";

    private final Path workDir;
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;
    private PostmasterWatch watch;

    private Postgres(Path workDir, int port) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.port = port;
    }

    /** @param workDir binaries are unpacked and data kept here (not /tmp, so failed runs leave nothing behind) */
    public static Postgres start(Path workDir) {
        try {
            Files.createDirectories(workDir);
            Postgres postgres = new Postgres(workDir, freePort());
            postgres.startServer(true);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server that keeps its data in {@code workDir} across runs, on a fixed port (the dev stack's):
     * initialized on first use, reopened afterwards.
     */
    public static Postgres open(Path workDir, int port) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Postgres postgres = new Postgres(workDir, port);
        postgres.startServer(false);
        return postgres;
    }

    /** Stops the server; its data stays. Connections fail until {@link #restart()}. */
    public synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            watch.close();
        }
    }

    /** Starts the stopped server again on the same port with the same data. */
    public synchronized void restart() {
        startServer(false);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** A fresh unpooled data source; production code pools its own. */
    public synchronized DataSource dataSource() {
        return server.getPostgresDatabase();
    }

    /** Creates an empty database and returns its JDBC URL, so tests can have a schema of their own. */
    public String createDatabase(String name) {
        try (var connection = dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.execute("create database " + name);
            return "jdbc:postgresql://localhost:" + port + "/" + name;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    private void startServer(boolean fresh) {
        try {
            if (fresh) {
                FileTrees.delete(dataDir);
            }
            server = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setDataDirectory(dataDir)
                    // keep the data on close: stop() and restart() simulate an outage, not a new database
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
            watch = PostmasterWatch.start(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + workDir, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            server.close();
        } finally {
            watch.close();
        }
    }
}
