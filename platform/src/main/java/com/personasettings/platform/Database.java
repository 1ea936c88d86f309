package com.personasettings.platform;

/**
 * Which PostgreSQL to connect to, and as whom: {@code DATABASE_URL}, {@code DATABASE_USER}, {@code DATABASE_PASSWORD}
 * (or {@code DATABASE_PASSWORD_FILE}, a file holding it), the same for every service and command.
 */
public record Database(String url, String user, String password) {

    public static Database from(Settings settings) {
        return new Database(
                settings.text("DATABASE_URL", "jdbc:postgresql://localhost:5432/persona_settings"),
                settings.text("DATABASE_USER", "postgres"),
                settings.secret("DATABASE_PASSWORD", ""));
    }

    /** Another database on the same server, as the same user (a replay's target, say). */
    public Database at(String otherUrl) {
        return new Database(otherUrl, user, password);
    }

    @Override
    public String toString() {
        return Redact.url(url) + " as " + user; // never the password, nor one written into the URL
    }
}
