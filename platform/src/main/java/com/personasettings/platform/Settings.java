package com.personasettings.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where every service and command reads its settings: a setting is the environment variable of its name, else the
 * same key in the properties file named by {@value #CONFIG_FILE}, else its default. A blank value counts as unset.
 * A value that is not what the setting needs (a number, say) fails with an {@link InvalidSetting} naming the
 * variable, where it came from and what it should be.
 */
public final class Settings {

    /** The environment variable naming the properties file. */
    public static final String CONFIG_FILE = "PERSONA_SETTINGS_CONFIG";

    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final String fileName;

    private Settings(Map<String, String> environment, Map<String, String> file, String fileName) {
        this.environment = environment;
        this.file = file;
        this.fileName = fileName;
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Settings from these environment variables, and the file {@value #CONFIG_FILE} names among them, if any. */
    public static Settings from(Map<String, String> environment) {
        String fileName = environment.get(CONFIG_FILE);
        if (fileName == null || fileName.isBlank()) {
            return new Settings(Map.copyOf(environment), Map.of(), null);
        }
        return new Settings(Map.copyOf(environment), read(Path.of(fileName.trim())), fileName.trim());
    }

    /** The setting's text, or {@code defaultValue} (which may be null) when it is unset. */
    public String text(String name, String defaultValue) {
        String value = value(environment, name);
        if (value == null) {
            value = value(file, name);
        }
        return value == null ? defaultValue : value;
    }

    /**
     * A secret (a password): the variable {@code name}, else the contents of the file {@code name_FILE} names — the
     * container convention for secrets mounted as files (a trailing line break is not part of it) — else the file
     * setting, else {@code defaultValue}. Both {@code name} and {@code name_FILE} set is refused: which one is meant
     * cannot be guessed. No message ever holds the secret.
     */
    public String secret(String name, String defaultValue) {
        String fileName = text(name + "_FILE", null);
        if (fileName == null) {
            return text(name, defaultValue);
        }
        if (value(environment, name) != null) {
            throw new InvalidSetting(name + " and " + name + "_FILE are both set; set one of them");
        }
        try {
            return Files.readString(Path.of(fileName)).stripTrailing();
        } catch (IOException | RuntimeException e) {
            throw new InvalidSetting(name + "_FILE=" + fileName + source(name + "_FILE") + " cannot be read: "
                    + e.getClass().getSimpleName());
        }
    }

    public int integer(String name, int defaultValue) {
        String value = text(name, null);
        try {
            return value == null ? defaultValue : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(name, value, "a whole number");
        }
    }

    public short shortInteger(String name, short defaultValue) {
        String value = text(name, null);
        try {
            return value == null ? defaultValue : Short.parseShort(value);
        } catch (NumberFormatException e) {
            throw invalid(name, value, "a whole number between " + Short.MIN_VALUE + " and " + Short.MAX_VALUE);
        }
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean bool(String name, boolean defaultValue) {
        String value = text(name, null);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw invalid(name, value, "true or false");
    }

    /** A duration given in milliseconds, as every {@code *_MS} setting is. */
    public Duration millis(String name, long defaultMillis) {
        String value = text(name, null);
        try {
            return Duration.ofMillis(value == null ? defaultMillis : Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw invalid(name, value, "a whole number of milliseconds");
        }
    }

    /** For a rule that spans settings or bounds one: the message names the setting and where its value came from. */
    public InvalidSetting invalid(String name, String value, String expected) {
        return new InvalidSetting(name + "=" + value + source(name) + " is not valid: expected " + expected);
    }

    private String source(String name) {
        return value(environment, name) == null && value(file, name) != null ? " (in " + fileName + ")" : "";
    }

    private static String value(Map<String, String> values, String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Map<String, String> read(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: a malformed \\uXXXX escape in the file
            throw new InvalidSetting(CONFIG_FILE + "=" + path + " cannot be read as a properties file: " + e);
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }

    /** A setting with a value it cannot take; the message is one line that names the variable. */
    public static final class InvalidSetting extends IllegalArgumentException {
        public InvalidSetting(String message) {
            super(message);
        }
    }
}
