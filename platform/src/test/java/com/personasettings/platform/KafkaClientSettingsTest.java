package com.personasettings.platform;

import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"gateway\" password=\"s3cr3t-pw\";";

    @TempDir
    Path dir;

    @Test
    void nothingSetIsPlaintextWithNoProperties() {
        KafkaClientSettings settings = KafkaClientSettings.from(Settings.from(Map.of()));

        assertThat(settings.properties()).isEmpty();
        assertThat(settings.client("localhost:9092")).isEqualTo(Map.of("bootstrap.servers", "localhost:9092"));
    }

    @Test
    void everyVariableBecomesItsClientPropertyUnchanged() {
        KafkaClientSettings settings = KafkaClientSettings.from(Settings.from(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12",
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-pw",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")));

        Map<String, Object> properties = settings.properties();
        assertThat(properties).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config",
                "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type");
        assertThat(properties).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                .containsEntry("ssl.truststore.type", "PKCS12");
        assertThat(((Password) properties.get("sasl.jaas.config")).value()).isEqualTo(JAAS);
        assertThat(((Password) properties.get("ssl.truststore.password")).value()).isEqualTo("trust-pw");
    }

    @Test
    void theJaasConfigAndTrustStorePasswordMayComeFromFiles() throws IOException {
        Path jaas = Files.writeString(dir.resolve("jaas"), JAAS + "\n");
        Path trust = Files.writeString(dir.resolve("trust"), "trust-pw\n");

        Map<String, Object> properties = KafkaClientSettings.from(Settings.from(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", trust.toString()))).properties();

        assertThat(((Password) properties.get("sasl.jaas.config")).value()).isEqualTo(JAAS);
        assertThat(((Password) properties.get("ssl.truststore.password")).value()).isEqualTo("trust-pw");
    }

    @Test
    void aClientConfigurationIsTheBootstrapServersAndTheSettings() {
        KafkaClientSettings settings = KafkaClientSettings.from(Settings.from(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS)));

        assertThat(settings.client("b:9092")).containsOnlyKeys("bootstrap.servers", "security.protocol",
                        "sasl.mechanism", "sasl.jaas.config")
                .containsEntry("bootstrap.servers", "b:9092").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void noSecretIsEverPrinted() {
        KafkaClientSettings settings = KafkaClientSettings.from(Settings.from(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS, "KAFKA_SSL_TRUSTSTORE_PASSWORD", "trust-pw")));

        assertThat(settings.toString()).contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=[hidden]").doesNotContain("s3cr3t-pw", "trust-pw");
        assertThat(settings.properties().toString()).doesNotContain("s3cr3t-pw", "trust-pw");
        assertThat(settings.client("b:9092").toString()).doesNotContain("s3cr3t-pw", "trust-pw");
    }

    @Test
    void mistakesFailInOneLineWithoutTheSecret() throws IOException {
        Path jaas = Files.writeString(dir.resolve("jaas"), JAAS);

        assertThatThrownBy(() -> KafkaClientSettings.from(Settings.from(Map.of(
                "KAFKA_SASL_JAAS_CONFIG", JAAS))))
                .isInstanceOf(Settings.InvalidSetting.class)
                .hasMessage("KAFKA_SASL_JAAS_CONFIG is set but KAFKA_SECURITY_PROTOCOL is unset: expected SASL_PLAINTEXT or SASL_SSL");
        assertThatThrownBy(() -> KafkaClientSettings.from(Settings.from(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_JAAS_CONFIG", JAAS, "KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString()))))
                .isInstanceOf(Settings.InvalidSetting.class)
                .hasMessage("KAFKA_SASL_JAAS_CONFIG and KAFKA_SASL_JAAS_CONFIG_FILE are both set; set one of them");
        assertThatThrownBy(() -> KafkaClientSettings.from(Settings.from(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_JAAS_CONFIG_FILE", dir.resolve("missing").toString()))))
                .isInstanceOf(Settings.InvalidSetting.class)
                .hasMessageStartingWith("KAFKA_SASL_JAAS_CONFIG_FILE=" + dir.resolve("missing") + " cannot be read")
                .hasMessageNotContaining("s3cr3t-pw");
    }
}
