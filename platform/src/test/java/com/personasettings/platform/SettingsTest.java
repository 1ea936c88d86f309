package com.personasettings.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void theEnvironmentWinsOverTheFileWhichWinsOverTheDefault() throws IOException {
        Path file = properties("A=from-file\nB=from-file\n");
        Settings settings = Settings.from(Map.of(Settings.CONFIG_FILE, file.toString(), "A", "from-environment"));

        assertThat(settings.text("A", "default")).isEqualTo("from-environment");
        assertThat(settings.text("B", "default")).isEqualTo("from-file");
        assertThat(settings.text("C", "default")).isEqualTo("default");
        assertThat(settings.text("C", null)).isNull();
    }

    @Test
    void withoutAFileTheEnvironmentAndTheDefaultsAreAll() {
        Settings settings = Settings.from(Map.of("PORT", "9090"));

        assertThat(settings.integer("PORT", 8080)).isEqualTo(9090);
        assertThat(settings.integer("OTHER_PORT", 8080)).isEqualTo(8080);
    }

    @Test
    void aBlankValueIsUnsetAndValuesAreTrimmed() throws IOException {
        Path file = properties("A=from-file\nB=  \n");
        Settings settings = Settings.from(Map.of(Settings.CONFIG_FILE, file.toString(), "A", " ", "C", " 7 "));

        assertThat(settings.text("A", "default")).isEqualTo("from-file");
        assertThat(settings.text("B", "default")).isEqualTo("default");
        assertThat(settings.integer("C", 1)).isEqualTo(7);
    }

    @Test
    void numbersAndDurations() {
        Settings settings = Settings.from(Map.of("TIMEOUT_MS", "1500", "REPLICAS", "-1"));

        assertThat(settings.millis("TIMEOUT_MS", 20)).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.millis("OTHER_MS", 20)).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.shortInteger("REPLICAS", (short) 3)).isEqualTo((short) -1);
    }

    @Test
    void aBadValueFailsInOneLineNamingTheVariable() {
        Settings settings = Settings.from(Map.of("PROCESSOR_THREADS", "two", "GATEWAY_REPLY_TIMEOUT_MS", "5s",
                "TOPIC_REPLICATION_FACTOR", "100000"));

        assertThatThrownBy(() -> settings.integer("PROCESSOR_THREADS", 1))
                .isInstanceOf(Settings.InvalidSetting.class)
                .hasMessage("PROCESSOR_THREADS=two is not valid: expected a whole number");
        assertThatThrownBy(() -> settings.millis("GATEWAY_REPLY_TIMEOUT_MS", 5000))
                .hasMessage("GATEWAY_REPLY_TIMEOUT_MS=5s is not valid: expected a whole number of milliseconds");
        assertThatThrownBy(() -> settings.shortInteger("TOPIC_REPLICATION_FACTOR", (short) -1))
                .hasMessage("TOPIC_REPLICATION_FACTOR=100000 is not valid: expected a whole number between -32768 and 32767");
    }

    @Test
    void aBadValueFromTheFileSaysSo() throws IOException {
        Path file = properties("PROCESSOR_THREADS=lots\n");
        Settings settings = Settings.from(Map.of(Settings.CONFIG_FILE, file.toString()));

        assertThatThrownBy(() -> settings.integer("PROCESSOR_THREADS", 1))
                .hasMessage("PROCESSOR_THREADS=lots (in " + file + ") is not valid: expected a whole number");
    }

    @Test
    void aFileThatCannotBeReadIsNamed() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> Settings.from(Map.of(Settings.CONFIG_FILE, missing.toString())))
                .isInstanceOf(Settings.InvalidSetting.class)
                .hasMessageStartingWith("PERSONA_SETTINGS_CONFIG=" + missing + " cannot be read as a properties file")
                .hasMessageNotContaining("\n");
    }

    private Path properties(String text) throws IOException {
        return Files.writeString(dir.resolve("settings.properties"), text);
    }

    @Test
    void aSecretComesFromItsVariableOrFromTheFileItsFileVariableNames() throws IOException {
        Path secret = dir.resolve("db-password");
        Files.writeString(secret, "s3cr3t pass\n");

        assertThat(Settings.from(Map.of("DATABASE_PASSWORD_FILE", secret.toString())).secret("DATABASE_PASSWORD", ""))
                .isEqualTo("s3cr3t pass");
        assertThat(Settings.from(Map.of("DATABASE_PASSWORD", "direct")).secret("DATABASE_PASSWORD", "")).isEqualTo("direct");
        assertThat(Settings.from(Map.of()).secret("DATABASE_PASSWORD", "")).isEmpty();
        assertThat(Database.from(Settings.from(Map.of("DATABASE_PASSWORD_FILE", secret.toString()))).password())
                .isEqualTo("s3cr3t pass");
    }

    @Test
    void aSecretSetTwiceOrInAFileThatCannotBeReadFailsWithoutShowingIt() throws IOException {
        Path secret = dir.resolve("db-password");
        Files.writeString(secret, "s3cr3t");

        assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_PASSWORD_FILE", secret.toString(),
                "DATABASE_PASSWORD", "other")).secret("DATABASE_PASSWORD", ""))
                .isInstanceOf(Settings.InvalidSetting.class)
                .hasMessage("DATABASE_PASSWORD and DATABASE_PASSWORD_FILE are both set; set one of them");
        assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_PASSWORD_FILE", dir.resolve("missing").toString()))
                .secret("DATABASE_PASSWORD", ""))
                .isInstanceOf(Settings.InvalidSetting.class)
                .hasMessageStartingWith("DATABASE_PASSWORD_FILE=" + dir.resolve("missing") + " cannot be read")
                .hasMessageNotContaining("s3cr3t");
        assertThat(new Database("jdbc:postgresql://h/db", "app", "s3cr3t").toString()).doesNotContain("s3cr3t");
    }
}
