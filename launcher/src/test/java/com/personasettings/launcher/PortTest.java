package com.personasettings.launcher;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PortTest {

    private static final Port KAFKA = new Port(19092, "Kafka", "localhost", "--kafka-port");
    private static final Port CONTROLLER = new Port(19093, "Kafka controller", "localhost", "--kafka-port");
    private static final Port HTTP = new Port(8080, "HTTP", null, "--port");

    @Test
    void namesOnePortOrSeveralAndEachOptionOnce() {
        assertThat(Port.describe(List.of(HTTP))).isEqualTo("Port 8080 (HTTP) is");
        assertThat(Port.options(List.of(HTTP))).isEqualTo("--port");
        assertThat(Port.describe(List.of(KAFKA, CONTROLLER, HTTP)))
                .isEqualTo("Ports 19092 (Kafka), 19093 (Kafka controller) and 8080 (HTTP) are");
        assertThat(Port.options(List.of(KAFKA, CONTROLLER, HTTP))).isEqualTo("--kafka-port and --port");
    }

    @Test
    void aPortIsTakenWhileAnotherSocketListensOnIt() throws Exception {
        Port port;
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress("127.0.0.1", 0));
            port = new Port(other.getLocalPort(), "PostgreSQL", "localhost", "--postgres-port");
            assertThat(Port.taken(List.of(port))).containsExactly(port);
            assertThat(Port.taken(List.of(new Port(port.number(), "HTTP", null, "--port")))).as("all interfaces").hasSize(1);
        }
        assertThat(Port.taken(List.of(port))).isEmpty();
    }
}
