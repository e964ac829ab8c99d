package dev.netpress.runtime.lineage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.netpress.runtime.event.BadEventException;
import dev.netpress.runtime.event.EventCodec;
import dev.netpress.runtime.event.ModelEvent;

/**
 * The Kafka Streams application that answers "what happened to model X": it reads every stage's output
 * events (and the sinks and dead-letter topics) and folds them into a table of {@link Lineage}s keyed
 * by lineage id, which {@link #lineage} and {@link #lineageIds} query in place.
 *
 * <p>Records that are not model events are skipped and counted ({@link #skipped()}), never fatal: one
 * bad record on a topic must not blind the report to every model after it. Processing is exactly once
 * and reads committed records only, so an event from an aborted stage transaction never shows.
 *
 * <p>The table lives in memory, backed by its changelog topic: a lineage is a few kilobytes, and an
 * instance that restarts restores the table from the changelog instead of re-reading every topic.
 */
public final class LineageApp implements AutoCloseable {
    /** The name of the queryable store. */
    public static final String STORE = "lineages";
    /** The default {@code application.id}: also the consumer group and the prefix of the changelog topic. */
    public static final String DEFAULT_APPLICATION_ID = "netpress-lineage";

    private static final Logger LOG = LoggerFactory.getLogger(LineageApp.class);
    /** Between two looks at the state while starting, or at the store while it is being (re)assigned. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What the app reads and how to tell a model's outcome from the topic it is on.
     *
     * @param topics the topics to read, or null when {@code pattern} is given
     * @param pattern a pattern of topics to read (e.g. {@code netpress\..*}), or null when {@code topics}
     *     are given; it must match the sinks and dead-letter topics too. Topics created after the start are
     *     noticed on the consumer's next metadata refresh ({@code metadata.max.age.ms}). It must not match
     *     the app's own changelog topic, {@code <applicationId>-lineages-changelog}.
     * @param acceptedTopics recipe sinks for models that passed the gate
     * @param rejectedTopics recipe sinks for models that failed it
     * @param properties further Kafka Streams and client properties (TLS, SASL, tuning); they win over the
     *     app's own settings
     */
    public record Config(String bootstrapServers, String applicationId, List<String> topics, Pattern pattern,
                         Set<String> acceptedTopics, Set<String> rejectedTopics, Map<String, String> properties) {
        public Config {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(applicationId, "applicationId");
            if ((topics == null) == (pattern == null)) {
                throw new IllegalArgumentException("give either the topics or a pattern of topics to read");
            }
            topics = topics == null ? null : List.copyOf(topics);
            acceptedTopics = Set.copyOf(acceptedTopics);
            rejectedTopics = Set.copyOf(rejectedTopics);
            properties = Map.copyOf(properties);
        }

        /** Reads these topics; the sinks named later with {@link #sinks} are read as well. */
        public static Config topics(String bootstrapServers, List<String> topics) {
            return new Config(bootstrapServers, DEFAULT_APPLICATION_ID, topics, null, Set.of(), Set.of(), Map.of());
        }

        /** Reads every topic whose name matches. */
        public static Config pattern(String bootstrapServers, Pattern pattern) {
            return new Config(bootstrapServers, DEFAULT_APPLICATION_ID, null, pattern, Set.of(), Set.of(), Map.of());
        }

        public Config sinks(Set<String> accepted, Set<String> rejected) {
            return new Config(bootstrapServers, applicationId, topics, pattern, accepted, rejected, properties);
        }

        public Config applicationId(String id) {
            return new Config(bootstrapServers, id, topics, pattern, acceptedTopics, rejectedTopics, properties);
        }

        public Config properties(Map<String, String> more) {
            return new Config(bootstrapServers, applicationId, topics, pattern, acceptedTopics, rejectedTopics, more);
        }

        /** The topics to subscribe to when they are listed: the given ones and the sinks, each once. */
        List<String> subscribedTopics() {
            Set<String> all = new TreeSet<>(topics);
            all.addAll(acceptedTopics);
            all.addAll(rejectedTopics);
            return List.copyOf(all);
        }

        /** What an event read from {@code topic} says about its model. */
        Lineage.Status outcome(ModelEvent event, String topic) {
            if (event.error() != null) {
                return Lineage.Status.FAILED;
            }
            if (acceptedTopics.contains(topic)) {
                return Lineage.Status.ACCEPTED;
            }
            return rejectedTopics.contains(topic) ? Lineage.Status.REJECTED : Lineage.Status.RUNNING;
        }
    }

    /** A decoded event and where it was read: the topic decides the outcome. */
    private record Arrival(ModelEvent event, String topic) {
    }

    private final KafkaStreams streams;
    private final Path stateDir;
    private final AtomicLong skipped;

    private LineageApp(KafkaStreams streams, Path stateDir, AtomicLong skipped) {
        this.streams = streams;
        this.stateDir = stateDir;
        this.skipped = skipped;
    }

    /**
     * Starts the app and waits until it runs: the table is assigned and restored, so queries answer.
     *
     * @throws IOException if it does not reach RUNNING within {@code timeout} (the app is closed again)
     */
    public static LineageApp start(Config config, Duration timeout) throws IOException {
        Path stateDir = Files.createTempDirectory("netpress-lineage-");
        AtomicLong skipped = new AtomicLong();
        KafkaStreams streams;
        try {
            streams = new KafkaStreams(topology(config, skipped), properties(config, stateDir));
        } catch (RuntimeException e) {
            deleteRecursively(stateDir);
            throw e;
        }
        LineageApp app = new LineageApp(streams, stateDir, skipped);
        try {
            streams.start();
            app.awaitRunning(timeout);
            return app;
        } catch (IOException | RuntimeException e) {
            app.close();
            throw e;
        }
    }

    private static Topology topology(Config config, AtomicLong skipped) {
        StreamsBuilder builder = new StreamsBuilder();
        Consumed<String, byte[]> consumed = Consumed.with(Serdes.String(), Serdes.ByteArray());
        KStream<String, byte[]> records = config.pattern() != null
            ? builder.stream(config.pattern(), consumed)
            : builder.stream(config.subscribedTopics(), consumed);
        // decoding here rather than in a value serde lets a bad record be skipped with its topic and offset
        // in the log, and keeps the key: the events are keyed by lineage id already, so nothing repartitions
        records.processValues(() -> new Decode(skipped))
            .groupByKey()
            .aggregate(Lineage::empty,
                (lineageId, arrival, lineage) -> lineage.add(arrival.event(), arrival.topic(),
                    config.outcome(arrival.event(), arrival.topic())),
                Materialized.<String, Lineage>as(Stores.inMemoryKeyValueStore(STORE))
                    .withKeySerde(Serdes.String())
                    .withValueSerde(LineageSerde.serde()));
        return builder.build();
    }

    private static Properties properties(Config config, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // stages publish in transactions; exactly_once_v2 also makes the consumers read_committed
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // no record cache: a query sees every event as soon as it is processed, and lineages are few and small
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        p.putAll(config.properties());
        return p;
    }

    /** Decodes each record's value; forwards model events, skips and counts everything else. */
    private static final class Decode implements FixedKeyProcessor<String, byte[], Arrival> {
        private final AtomicLong skipped;
        private FixedKeyProcessorContext<String, Arrival> context;

        Decode(AtomicLong skipped) {
            this.skipped = skipped;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Arrival> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, byte[]> record) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
            ModelEvent event;
            try {
                event = EventCodec.decode(record.value());
            } catch (BadEventException e) {
                skip(record, e.kind() + ": " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                // whatever else a hostile value provokes in the decoder, it is that record's fault only
                skip(record, e.toString());
                return;
            }
            if (!event.lineageId().equals(record.key())) {
                // the key is the lineage id by contract; grouping by a key the event disowns would misfile it
                skip(record, "the key " + record.key() + " is not the event's lineage id " + event.lineageId());
                return;
            }
            context.forward(record.withValue(new Arrival(event, topic)));
        }

        private void skip(FixedKeyRecord<String, byte[]> record, String reason) {
            skipped.incrementAndGet();
            LOG.warn("skipping a record that is not a model event ({}, key {}): {}",
                context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"),
                record.key(), reason);
        }
    }

    private void awaitRunning(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        KafkaStreams.State state;
        while ((state = streams.state()) != KafkaStreams.State.RUNNING) {
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                throw new IOException("the lineage app stopped while starting: " + state);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the lineage app was not running after " + timeout + " (state " + state + ")");
            }
            sleep();
        }
    }

    /** The lineage of a model, if any event of it has been read. */
    public Optional<Lineage> lineage(String lineageId) {
        return Optional.ofNullable(store().get(lineageId));
    }

    /** The ids of every lineage in the table, sorted. */
    public List<String> lineageIds() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, Lineage> all = store().all()) {
            all.forEachRemaining((KeyValue<String, Lineage> kv) -> ids.add(kv.key));
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /** The local state directory; {@link #close()} deletes it. */
    public Path stateDirectory() {
        return stateDir;
    }

    /** Records this instance skipped because they were not model events of their key's lineage. */
    public long skipped() {
        return skipped.get();
    }

    /** The Kafka Streams state: RUNNING once started, REBALANCING while partitions move. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The store, waiting out a rebalance, during which Kafka Streams refuses queries. */
    private ReadOnlyKeyValueStore<String, Lineage> store() {
        long deadline = System.nanoTime() + QUERY_TIMEOUT.toNanos();
        while (true) {
            try {
                return streams.store(StoreQueryParameters.fromNameAndType(STORE,
                    QueryableStoreTypes.<String, Lineage>keyValueStore()));
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
                    throw e;
                }
                sleep();
            }
        }
    }

    /** Stops the app and deletes its local state; the changelog topic stays, so a restart restores the table. */
    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
        deleteRecursively(stateDir);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lineage app", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the lineage app's state directory " + root, e);
        }
    }
}
