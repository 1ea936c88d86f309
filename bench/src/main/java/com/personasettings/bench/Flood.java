package com.personasettings.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests with made-up API keys, a new one each time, as a key-guessing client would send them: PATCHes of a
 * settings path with a well-formed {@code ps_} key that names nothing.
 *
 * <p>Written as such a client writes them, not as a well-behaved one: each request is put on one of a few
 * keep-alive connections the moment it is due, whether the answers to the earlier ones have come back or not
 * (HTTP/1.1 pipelining), and the answers are read back in order by one thread per connection. That costs the
 * generator a few microseconds a request, where a full HTTP client costs some 200 on this machine — enough to keep
 * it from measuring anything but itself at 10,000 a second on two cores shared with the product.
 */
public final class Flood implements AutoCloseable {

    /** Connections the flood is spread over. */
    private static final int CONNECTIONS = 8;

    private static final Base64.Encoder KEY_TEXT = Base64.getUrlEncoder().withoutPadding();
    private static final String BODY = "{\"persona_settings\": null}";
    private static final String REST_OF_REQUEST = "Content-Type: application/json\r\n"
            + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;

    private final List<Connection> connections = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();

    public Flood(URI base) throws IOException {
        String host = base.getHost();
        int port = base.getPort() == -1 ? 80 : base.getPort();
        for (int i = 0; i < CONNECTIONS; i++) {
            connections.add(new Connection(host, port, i));
        }
    }

    /** One request with a key never sent before; completes with the HTTP status (exceptionally if the connection fails). */
    public CompletableFuture<Integer> send() {
        // Made up, not secret: the cheap generator will do (UUID.randomUUID would draw on SecureRandom).
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String request = "PATCH /v1/personas/" + new UUID(random.nextLong(), random.nextLong())
                + "/inbound/%2B14155550100/settings HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "authorization: ps_" + KEY_TEXT.encodeToString(secret) + "\r\n"
                + REST_OF_REQUEST;
        return connections.get((int) (sent.getAndIncrement() % CONNECTIONS))
                .send(request.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        for (Connection connection : connections) {
            connection.close();
        }
    }

    /** One keep-alive connection: requests written when due, answers matched to them in order. */
    private static final class Connection {

        private final Socket socket;
        private final OutputStream out;
        private final Queue<CompletableFuture<Integer>> waiting = new ArrayDeque<>();
        private volatile IOException failure;

        Connection(String host, int port, int index) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            out = socket.getOutputStream();
            Thread reader = new Thread(this::readAnswers, "flood-reader-" + index);
            reader.setDaemon(true);
            reader.start();
        }

        CompletableFuture<Integer> send(byte[] request) {
            CompletableFuture<Integer> answer = new CompletableFuture<>();
            synchronized (this) {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                    return answer;
                }
                waiting.add(answer);
                try {
                    out.write(request);
                } catch (IOException e) {
                    fail(e);
                }
            }
            return answer;
        }

        private void readAnswers() {
            try (InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024)) {
                while (true) {
                    int status = readAnswer(in);
                    CompletableFuture<Integer> answer;
                    synchronized (this) {
                        answer = waiting.poll();
                    }
                    if (answer != null) {
                        answer.complete(status);
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    fail(e);
                }
            }
        }

        /** Reads one response: its status line, its headers, and the body its Content-Length announces. */
        private static int readAnswer(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(header.substring(15).trim());
                }
            }
            in.skipNBytes(length);
            return status;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new IOException("the gateway closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        /** Fails what waits on this connection, and what is sent on it from now on. Called holding the lock. */
        private void fail(IOException e) {
            if (failure == null) {
                failure = e;
            }
            for (CompletableFuture<Integer> answer; (answer = waiting.poll()) != null; ) {
                answer.completeExceptionally(failure);
            }
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
