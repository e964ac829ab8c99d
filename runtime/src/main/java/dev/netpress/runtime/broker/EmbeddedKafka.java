package dev.netpress.runtime.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in this JVM: one KRaft node that is both broker and controller, on free loopback
 * ports, with its logs in a temporary directory that {@link #close()} deletes.
 *
 * <p>It exists because the machines this project builds and demos on run no Docker engine, so
 * Testcontainers cannot start one; the embedded default (one JVM, no services) needs a broker too. It
 * is the real broker code, so transactions, consumer groups and rebalances behave as in production.
 * Every internal topic has one partition and one replica, which keeps start-up at a few seconds.
 *
 * <p>Topics are not created automatically: a recipe creates its topics with {@link #createTopics}, so
 * a mistyped topic name fails instead of silently creating a topic nobody reads.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Binding races with other processes between choosing a port and the broker binding it: retry a few times. */
    private static final int START_ATTEMPTS = 3;

    private final Path dir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Admin admin;

    private EmbeddedKafka(Path dir, KafkaRaftServer server, String bootstrapServers, Admin admin) {
        this.dir = dir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
    }

    /** Starts a broker with the default settings. */
    public static EmbeddedKafka start() throws IOException {
        return start(Map.of());
    }

    /**
     * Starts a broker; {@code overrides} are broker properties that replace or add to the defaults
     * (for example {@code transaction.max.timeout.ms}).
     */
    public static EmbeddedKafka start(Map<String, String> overrides) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            Path dir = Files.createTempDirectory("netpress-kafka-");
            try {
                return startIn(dir, overrides);
            } catch (IOException | RuntimeException e) {
                deleteRecursively(dir);
                if (!causedByBind(e)) {
                    throw e instanceof IOException io ? io : new IOException("embedded Kafka did not start: " + e, e);
                }
                last = new IOException("embedded Kafka could not bind its ports", e);
            }
        }
        throw last;
    }

    private static EmbeddedKafka startIn(Path dir, Map<String, String> overrides) throws IOException {
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = brokerProperties(dir.resolve("logs"), brokerPort, controllerPort);
        props.putAll(overrides);

        Path configFile = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            props.store(out, "netpress embedded Kafka");
        }
        format(configFile);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        String bootstrap = "localhost:" + brokerPort;
        Admin admin = null;
        try {
            server.startup();
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
            // startup() returns once the servers run; the broker serves clients only after it has
            // registered with the controller and been unfenced, which describeCluster waits for
            admin.describeCluster().nodes().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new EmbeddedKafka(dir, server, bootstrap, admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(server, admin);
            throw new IOException("interrupted while the embedded Kafka started", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            shutdown(server, admin);
            throw new IOException("embedded Kafka did not become ready: " + e, e);
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        // one node: every internal topic must be satisfiable with a single replica
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("min.insync.replicas", "1");
        // no reason to wait for more members of a group to arrive: there is one machine
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // the 128 MiB default dedupe buffer dominates the broker's memory; compacted topics here are tiny
        p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.setProperty("log.cleaner.threads", "1");
        // few threads: the builds and the demo run on two cores
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("num.replica.fetchers", "1");
        return p;
    }

    /** Writes the cluster's meta.properties and bootstrap checkpoint, as {@code kafka-storage.sh format} does. */
    private static void format(Path configFile) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()}, out);
        }
        if (rc != 0) {
            throw new IOException("formatting the embedded Kafka's storage failed (" + rc + "): "
                + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    /** The {@code bootstrap.servers} value for clients of this broker. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics of one partition each; topics that exist already are left as they are. */
    public void createTopics(String... names) throws IOException {
        createTopics(1, names);
    }

    /** Creates topics of {@code partitions} partitions each; topics that exist already are left as they are. */
    public void createTopics(int partitions, String... names) throws IOException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        for (var created : admin.createTopics(topics).values().entrySet()) {
            try {
                created.getValue().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IOException("creating topic " + created.getKey() + " failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while creating topic " + created.getKey(), e);
            } catch (TimeoutException e) {
                throw new IOException("creating topic " + created.getKey() + " timed out", e);
            }
        }
    }

    /** The broker's log directory; it disappears on {@link #close()}. */
    public Path directory() {
        return dir;
    }

    /** Stops the broker and deletes its logs. */
    @Override
    public void close() {
        shutdown(server, admin);
        deleteRecursively(dir);
    }

    private static void shutdown(KafkaRaftServer server, Admin admin) {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the embedded Kafka's directory " + root, e);
        }
    }
}
