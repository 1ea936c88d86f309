package com.personasettings.gateway.health;

import com.personasettings.gateway.kafka.ReplyRouter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The gateway's readiness checks: the broker, the database and the reply consumer. */
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

    /** The pool hands out a connection that answers. */
    public static Readiness.Check database(DataSource dataSource, Duration timeout) {
        return new Readiness.Check("database", () -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid((int) Math.max(1, timeout.toSeconds())) ? null : "the database does not answer";
            }
        });
    }

    /** The reply consumer runs and is not stuck retrying. */
    public static Readiness.Check replies(ReplyRouter replies) {
        return new Readiness.Check("reply_consumer", replies::problem);
    }
}
