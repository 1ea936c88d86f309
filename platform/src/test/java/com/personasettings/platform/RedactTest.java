package com.personasettings.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactTest {

    @Test
    void aPasswordInAUrlIsNeverShown() {
        assertThat(Redact.url("jdbc:postgresql://db:5432/app?user=app&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
        assertThat(Redact.url("jdbc:postgresql://db/app?PASSWORD=s3cret")).isEqualTo("jdbc:postgresql://db/app?PASSWORD=***");
        assertThat(Redact.url("http://registry:s3cret@registry:8081/apis/ccompat/v6"))
                .isEqualTo("http://***@registry:8081/apis/ccompat/v6");
    }

    @Test
    void aUrlWithoutOneIsUnchanged() {
        assertThat(Redact.url("jdbc:postgresql://localhost:5432/persona_settings"))
                .isEqualTo("jdbc:postgresql://localhost:5432/persona_settings");
        assertThat(Redact.url("http://127.0.0.1:8081/apis/ccompat/v6?x=1")).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v6?x=1");
        assertThat(Redact.url(null)).isNull();
    }
}
