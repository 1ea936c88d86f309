package com.personasettings.devstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) as a child process that keeps its log in a
 * folder across runs: formatted on first use, reopened afterwards. Kafka's own {@code kafka.Kafka} and
 * {@code StorageTool}, run from this JVM's classpath. The broker stops by itself, cleanly, when this JVM is
 * gone without having closed it (see {@link ExitWithParent}). For several nodes, see {@link KafkaCluster}.
 *
 * <p>{@link #openSecured} runs it with authentication and authorization: clients connect with SASL_PLAINTEXT and
 * SCRAM-SHA-512, and {@code StandardAuthorizer} refuses whatever no ACL allows. The super user {@value #SUPER_USER}
 * (the broker itself, and whoever sets up users and ACLs) gets its SCRAM credential when the log directory is
 * formatted: in KRaft, credentials live in the cluster metadata, and without one written at format time nobody
 * could log in to create the others.
 */
public final class KafkaServer implements AutoCloseable {

    /** The host of the listeners: the broker binds the address it resolves to. */
    public static final String HOST = "localhost";
    /** The secured broker's super user. */
    public static final String SUPER_USER = "admin";
    /** Kafka's default for SCRAM-SHA-512 is 4096; more costs only at login. */
    private static final int SCRAM_ITERATIONS = 8192;
    /** How long new users and ACLs may take to reach the broker's caches from the controller. */
    private static final Duration PROPAGATION = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KafkaNode node;
    private final int port;
    private final KafkaUser superUser;

    private KafkaServer(KafkaNode node, int port, KafkaUser superUser) {
        this.node = node;
        this.port = port;
        this.superUser = superUser;
    }

    /**
     * A PLAINTEXT broker that lets anyone do anything.
     *
     * @param port client port; the controller listens on {@code port + 1}
     */
    public static KafkaServer open(Path dir, int port) {
        KafkaNode node = KafkaNode.prepare(dir.toAbsolutePath(), common(port, List.of(
                "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + (port + 1),
                "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")),
                Uuid.randomUuid().toString());
        return start(node, port, null);
    }

    /**
     * A broker whose clients authenticate (SASL_PLAINTEXT, SCRAM-SHA-512) and are authorized by ACLs; no ACL, no
     * access. Only {@link #SUPER_USER} exists at first: see {@link #createUsers} and {@link #grant}. Its password is
     * drawn when the folder is formatted and kept beside the log ({@code super-user.password}), so a restart logs in
     * again. A folder formatted by {@link #open} has no credential for it and is refused.
     *
     * <p>The controller listener stays PLAINTEXT, on the loopback address only: a broker reaches its controller as
     * {@code User:ANONYMOUS}, which therefore must be a super user too (as in Kafka's own end-to-end authorization
     * tests). Clients never connect there.
     *
     * @param port client port; the controller listens on {@code port + 1}
     */
    public static KafkaServer openSecured(Path dir, int port) {
        Path root = dir.toAbsolutePath();
        KafkaUser superUser = new KafkaUser(SUPER_USER, superUserPassword(root));
        String listener = "SASL_PLAINTEXT";
        KafkaNode node = KafkaNode.prepare(root, common(port, List.of(
                "listeners=" + listener + "://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + (port + 1),
                "advertised.listeners=" + listener + "://" + HOST + ":" + port,
                "listener.security.protocol.map=" + listener + ":SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=" + listener,
                "sasl.enabled.mechanisms=" + KafkaUser.MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + KafkaUser.MECHANISM,
                // The broker's own login on its listener (used when it connects to itself as a client).
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + superUser.jaasConfig(),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found=false",
                "super.users=" + superUser.principal() + ";User:ANONYMOUS")),
                Uuid.randomUuid().toString(),
                List.of("--add-scram", KafkaUser.MECHANISM + "=[name=" + SUPER_USER + ",password=" + superUser.password() + "]"));
        return start(node, port, superUser);
    }

    private static List<String> common(int port, List<String> listeners) {
        List<String> properties = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + HOST + ":" + (port + 1),
                "controller.listener.names=CONTROLLER",
                // One broker: internal topics cannot have more replicas than that.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false"));
        properties.addAll(listeners);
        return properties;
    }

    private static KafkaServer start(KafkaNode node, int port, KafkaUser superUser) {
        node.start();
        KafkaServer server = new KafkaServer(node, port, superUser);
        KafkaReady.await(server.adminClient(), 1, List.of(node), Duration.ofSeconds(60));
        return server;
    }

    /** Whether {@link #openSecured} would refuse this folder: a log formatted by {@link #open}, with no super user. */
    public static boolean createdWithoutSecurity(Path dir) {
        Path root = dir.toAbsolutePath();
        return KafkaNode.isFormatted(root) && !Files.exists(root.resolve("super-user.password"));
    }

    /** The super user's password: the one this folder was formatted with, or a new one for a new folder. */
    private static String superUserPassword(Path root) {
        Path file = root.resolve("super-user.password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            if (createdWithoutSecurity(root)) {
                throw new IllegalStateException("the Kafka log in " + root + " was created without security (a run "
                        + "without --secure): it has no credential for the super user; start with a fresh data directory");
            }
            Files.createDirectories(root);
            String password = newPassword();
            Files.writeString(file, password + "\n");
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 144 random bits, in characters that need no quoting in a JAAS line. */
    static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public boolean isSecured() {
        return superUser != null;
    }

    /** The super user of a secured broker. */
    public Optional<KafkaUser> superUser() {
        return Optional.ofNullable(superUser);
    }

    /** The configuration of a client with every right: the super user's on a secured broker. */
    public Map<String, Object> adminClient() {
        return superUser == null ? Map.of("bootstrap.servers", bootstrapServers()) : superUser.client(bootstrapServers());
    }

    public Admin admin() {
        return Admin.create(adminClient());
    }

    /**
     * Creates these SCRAM users on a secured broker with new random passwords (replacing the passwords of users that
     * exist) and waits until the broker knows them.
     */
    public Map<String, KafkaUser> createUsers(Collection<String> names) {
        requireSecured();
        Map<String, KafkaUser> users = new LinkedHashMap<>();
        names.forEach(name -> users.put(name, new KafkaUser(name, newPassword())));
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(users.values().stream()
                    .<org.apache.kafka.clients.admin.UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(
                            user.name(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), user.password()))
                    .toList()).all().get(PROPAGATION.toSeconds(), TimeUnit.SECONDS);
            // The controller has them; the broker's credential cache follows from the metadata log.
            awaitBroker("users " + users.keySet(), () -> users.keySet().equals(admin.describeUserScramCredentials(
                    List.copyOf(users.keySet())).all().get(5, TimeUnit.SECONDS).keySet()));
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw failed("could not create the users " + users.keySet(), e);
        }
        return users;
    }

    /** Adds these ACLs on a secured broker (those that exist stay as they are) and waits until it enforces them. */
    public void grant(Collection<AclBinding> acls) {
        requireSecured();
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(PROPAGATION.toSeconds(), TimeUnit.SECONDS);
            awaitBroker(acls.size() + " ACLs", () -> new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(5, TimeUnit.SECONDS)).containsAll(acls));
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw failed("could not create the ACLs", e);
        }
    }

    private void requireSecured() {
        if (superUser == null) {
            throw new IllegalStateException("a PLAINTEXT broker has no users or ACLs: open it with openSecured");
        }
    }

    /** Polls the broker (each look a request) until it shows what the controller accepted; a failed look is "not yet". */
    private static void awaitBroker(String what, Callable<Boolean> shown) throws InterruptedException {
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        while (!looksTrue(shown)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not show " + what + " within " + PROPAGATION.toSeconds() + " s");
            }
            Thread.sleep(50); // between two requests to the broker
        }
    }

    private static boolean looksTrue(Callable<Boolean> condition) throws InterruptedException {
        try {
            return condition.call();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static IllegalStateException failed(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(what + ": " + (e instanceof ExecutionException ? e.getCause() : e), e);
    }

    @Override
    public void close() throws InterruptedException {
        node.stop(); // SIGTERM: Kafka shuts down cleanly
    }
}
