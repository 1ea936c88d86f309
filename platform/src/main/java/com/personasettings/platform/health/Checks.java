package com.personasettings.platform.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Readiness checks every service has: the broker and the database. */
public final class Checks {

    private Checks() {
    }

    /** A broker answers a metadata request. */
    public static Readiness.Check kafka(Admin admin, Duration timeout) {
        return new Readiness.Check("kafka", () -> {
            int millis = (int) timeout.toMillis();
            try {
                return admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes()
                        .get(millis, TimeUnit.MILLISECONDS).isEmpty() ? "no Kafka broker is available" : null;
            } catch (TimeoutException | ExecutionException e) {
                return "no Kafka broker answered within " + millis + " ms";
            }
        });
    }

    /** The schema registry answers: {@code subjects} asks it for its subjects (any answer will do). */
    public static Readiness.Check registry(Callable<?> subjects) {
        return new Readiness.Check("schema_registry", () -> {
            subjects.call();
            return null;
        });
    }

    /** The pool hands out a connection that answers. */
    public static Readiness.Check database(DataSource dataSource, Duration timeout) {
        return new Readiness.Check("database", () -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid((int) Math.max(1, timeout.toSeconds())) ? null : "the database does not answer";
            }
        });
    }
}
