package com.personasettings.processor.replay;

import com.personasettings.platform.Redact;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A new, empty database on the live database's server, named after it: {@code <live>_replay_<UTC time to the ms>}. */
final class FreshDatabase {

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");
    private static final DateTimeFormatter SUFFIX =
            DateTimeFormatter.ofPattern("'_replay_'yyyyMMdd'_'HHmmss'_'SSS").withZone(ZoneOffset.UTC);
    /** PostgreSQL truncates identifiers beyond 63 bytes. */
    private static final int MAX_NAME = 63;

    private FreshDatabase() {
    }

    /** The URL of the new database: the live URL with its database name replaced. */
    static String nextTo(String liveUrl, Clock clock) {
        Matcher url = URL.matcher(liveUrl);
        if (!url.matches() || url.group(2).isEmpty()) {
            throw new IllegalArgumentException("cannot name a database next to " + Redact.url(liveUrl)
                    + " (expected jdbc:postgresql://host:port/database): give --target-url");
        }
        String suffix = SUFFIX.format(clock.instant());
        String base = url.group(2);
        String name = base.substring(0, Math.min(base.length(), MAX_NAME - suffix.length())) + suffix;
        return url.group(1) + name + (url.group(3) == null ? "" : url.group(3));
    }

    static String create(String liveUrl, String user, String password, Clock clock) {
        String targetUrl = nextTo(liveUrl, clock);
        String name = URL.matcher(targetUrl).replaceAll("$2");
        try (Connection connection = DriverManager.getConnection(liveUrl, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("create database \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the replay database " + name + " (" + e.getMessage()
                    + "); create one and give it with --target-url", e);
        }
        return targetUrl;
    }
}
