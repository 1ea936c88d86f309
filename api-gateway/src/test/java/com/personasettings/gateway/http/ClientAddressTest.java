package com.personasettings.gateway.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    @Test
    void theProxysEntryIsTheLastOneWhateverTheClientPutBeforeIt() {
        assertThat(ClientAddress.lastEntry("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.lastEntry("1.2.3.4, 203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.lastEntry("spoofed,  198.51.100.1 ")).isEqualTo("198.51.100.1");
    }

    @Test
    void anEmptyHeaderNamesNoAddress() {
        assertThat(ClientAddress.lastEntry(null)).isNull();
        assertThat(ClientAddress.lastEntry("")).isNull();
        assertThat(ClientAddress.lastEntry("1.2.3.4, ")).isNull();
    }
}
