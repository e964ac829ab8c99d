package dev.netpress.runtime.stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.netpress.artifact.Artifact;
import dev.netpress.artifact.ArtifactException;
import dev.netpress.artifact.ArtifactRef;
import dev.netpress.artifact.Artifacts;
import dev.netpress.artifact.LoadedArtifact;
import dev.netpress.artifact.ModelCard;
import dev.netpress.graph.Graph;
import dev.netpress.graph.GraphSummary;
import dev.netpress.measure.Metric;
import dev.netpress.runtime.event.ArtifactInfo;
import dev.netpress.runtime.event.BadEventException;
import dev.netpress.runtime.event.CloudEventHeaders;
import dev.netpress.runtime.event.EventCodec;
import dev.netpress.runtime.event.EventError;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.event.Timings;
import dev.netpress.runtime.store.StoreException;
import dev.netpress.runtime.store.StoredArtifact;
import dev.netpress.technique.OptionValues;
import dev.netpress.technique.Technique;
import dev.netpress.technique.TechniqueContext;
import dev.netpress.technique.TechniqueResult;
import dev.netpress.technique.Techniques;

/**
 * One stage of a recipe as a service: consumes model events from its input topic in a consumer group, runs its
 * technique on each event's artifact, stores the output artifact and publishes the next event.
 *
 * <p><b>Exactly once.</b> The output event (or dead-letter event) and the input offset are committed in one
 * Kafka transaction; consumers read committed data only. A job that dies before its commit leaves the offset
 * where it was, so the record is taken again (by this replica or another), and the redone job writes the same
 * content-keyed artifact. The producer's transactional id is stable per replica, so a restarted replica fences
 * the one it replaces.
 *
 * <p><b>Long jobs.</b> The technique runs on a worker thread; the poll thread pauses the assigned partitions
 * and keeps polling, so a job longer than {@code max.poll.interval.ms} does not make the group rebalance. A
 * partition revoked while its job runs is given up: the job is abandoned and nothing is committed for it.
 *
 * <p><b>Failures.</b> A record that is not a model event goes to the dead-letter topic at once, as it came,
 * with the reason in a {@value #ERROR_HEADER} header. A job that fails is retried with exponential backoff
 * when another attempt could pass (see {@link JobFailure}); otherwise, or when retries run out, the input event
 * goes to the dead-letter topic with its {@code error} set. Either way the offset is committed with it and the
 * stage goes on with the next record.
 *
 * <p><b>Shutdown.</b> {@link #close()} stops taking records, lets the running job finish within the configured
 * timeout and commits it, or abandons it uncommitted so that another replica redoes it.
 */
public final class StageService implements AutoCloseable {
    /** The header that says why a record that is not a model event was dead-lettered. */
    public static final String ERROR_HEADER = "netpress_error";
    /** The header with the failure's kind on every dead-letter record. */
    public static final String ERROR_KIND_HEADER = "netpress_error_kind";
    /** The header on a dead-letter record that says where it came from: {@code topic-partition@offset}. */
    public static final String SOURCE_HEADER = "netpress_source";

    /** Where the service is in its life. */
    public enum State { NEW, RUNNING, STOPPING, STOPPED, FAILED }

    private static final Duration POLL = Duration.ofMillis(500);
    /**
     * How long the poll thread waits on a running job between polls: short enough to answer a rebalance or a
     * shutdown promptly, far below any sensible {@code max.poll.interval.ms}.
     */
    private static final Duration JOB_WAIT = Duration.ofMillis(200);
    /** Beyond the job's own shutdown timeout: time for the clients to leave the group and close. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);
    private static final List<String> PHASES = List.of("fetch", "load", "technique", "save", "put");

    private final StageConfig config;
    private final Technique<?> technique;
    private final Object options;
    private final Map<String, String> optionValues;
    private final MeterRegistry registry;
    private final StageMetrics metrics;
    private final Logger log;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final StageContext context;
    private final ExecutorService worker;
    private final Thread pollThread;

    private volatile State state = State.NEW;
    private volatile String lastError;
    private volatile boolean stopping;
    private volatile long drainDeadline;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    /** The job in progress; touched by the poll thread only. */
    private Job current;

    /** A service whose meters go to a Prometheus registry of its own ({@link #registry()}). */
    public StageService(StageConfig config) throws IOException {
        this(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * Builds a stage and parses its options; nothing connects until {@link #start()}.
     *
     * @throws IllegalArgumentException for an unknown technique or an option it refuses, naming the option
     */
    public StageService(StageConfig config, MeterRegistry registry) throws IOException {
        this.config = config;
        this.technique = Techniques.named(config.stage());
        OptionValues values = OptionValues.of(technique.name(), technique.options(), config.options());
        try {
            this.options = technique.parse(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stage " + config.stage() + " of recipe " + config.recipe() + ", step "
                + config.step() + ": " + e.getMessage(), e);
        }
        this.optionValues = values.asMap();
        this.registry = registry;
        this.log = LoggerFactory.getLogger(StageService.class.getName() + "." + config.stage());
        this.ownsWorkDir = config.workDir() == null;
        this.workDir = ownsWorkDir ? Files.createTempDirectory("netpress-stage-" + config.stage() + "-")
            : Files.createDirectories(config.workDir());
        this.metrics = new StageMetrics(registry, config.stage(), config.recipe());
        this.context = new StageContext(config, workDir.resolve("refs"), metrics::read, log);
        String name = "netpress-" + config.stage() + "-" + config.instanceId();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-worker");
            t.setDaemon(true);
            return t;
        });
        this.pollThread = new Thread(this::loop, name + "-poll");
    }

    /** Connects, claims the transactional id (fencing an earlier holder) and starts consuming. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("stage " + config.stage() + " was started already");
        }
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            state = State.FAILED;
            lastError = "could not claim transactional id " + config.transactionalId() + ": " + e.getMessage();
            release();
            throw e;
        }
        metrics.bind(consumer, producer);
        state = State.RUNNING;
        pollThread.start();
        log.info("{} (recipe {}, step {}) consuming {} as {} in group {}", config.stage(), config.recipe(),
            config.step(), config.inputTopic(), config.transactionalId(), config.groupId());
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.putAll(config.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-consumer");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a replica joining or leaving moves only the partitions that must move: the others' jobs go on
        p.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(config.clientProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-producer");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // lingering only delays the commit that follows every send
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        return p;
    }

    public StageConfig config() {
        return config;
    }

    public State state() {
        return state;
    }

    /** Whether the loop is consuming (or finishing its last job). */
    public boolean running() {
        State s = state;
        return s == State.RUNNING || s == State.STOPPING;
    }

    /** Jobs in progress: 0 or 1. */
    public int inFlight() {
        return metrics.inFlight();
    }

    /** The last failure: a dead-lettered job's reason, a failed commit, or what stopped the service; null if none. */
    public String lastError() {
        return lastError;
    }

    /** The registry the stage's meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Stops within the configured shutdown timeout: see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(config.shutdownTimeout());
    }

    /**
     * Stops taking records and waits up to {@code jobTimeout} for the running job to finish and commit; a job
     * still running then is abandoned without a commit, so that another replica redoes it. With
     * {@link Duration#ZERO} the job is abandoned at once, as if the replica had died. Safe to call from any
     * thread, more than once.
     */
    public void close(Duration jobTimeout) {
        synchronized (this) {
            if (state == State.NEW) {
                state = State.STOPPED;
                release();
                return;
            }
            if (!stopping) {
                drainDeadline = System.nanoTime() + jobTimeout.toNanos();
                stopping = true;
                if (state == State.RUNNING) {
                    state = State.STOPPING;
                    consumer.wakeup();
                }
            }
        }
        if (Thread.currentThread() == pollThread) {
            return;
        }
        try {
            pollThread.join(jobTimeout.plus(CLOSE_MARGIN).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pollThread.isAlive()) {
            log.warn("{}: the poll thread did not stop in time", config.stage());
        }
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(config.inputTopic()), new Rebalance());
            while (true) {
                if (stopping && (current == null || System.nanoTime() - drainDeadline >= 0)) {
                    if (current != null) {
                        abandon("the stage is shutting down");
                    }
                    break;
                }
                if (current == null) {
                    if (!stopping && !consumer.paused().isEmpty()) {
                        consumer.resume(consumer.paused());
                    }
                    pollOnce(POLL);
                } else {
                    awaitJob();
                    pollOnce(Duration.ZERO); // keeps the member alive and runs rebalance callbacks
                }
                if (current != null && current.future.isDone()) {
                    Job job = current;
                    current = null;
                    commit(job);
                }
            }
            state = State.STOPPED;
        } catch (RuntimeException | Error e) {
            lastError = config.stage() + " stopped: " + e;
            log.error("{} stopped", config.stage(), e);
            if (current != null) {
                abandon("the stage failed");
            }
            state = State.FAILED;
        } finally {
            release();
        }
    }

    /** Waits a little for the running job, so that its commit follows at once when it finishes. */
    private void awaitJob() {
        try {
            current.future.get(JOB_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            // still running, or finished: the loop looks at the future itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the poll thread was interrupted", e);
        }
    }

    private void pollOnce(Duration timeout) {
        Iterable<ConsumerRecord<byte[], byte[]>> records;
        try {
            records = consumer.poll(timeout);
        } catch (WakeupException e) {
            return; // close(): the loop looks again
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (current != null || stopping) {
                // not ours to take now: take it again later, or leave it to whoever has the partition next
                consumer.seek(tp, r.offset());
                continue;
            }
            consumer.pause(consumer.assignment());
            metrics.started();
            Job job = new Job(r, tp, System.nanoTime(), Instant.now());
            job.future = worker.submit(() -> process(job));
            current = job;
        }
    }

    /** Publishes a finished job's outcome and commits its offset in one transaction. */
    private void commit(Job job) {
        Outcome outcome;
        try {
            outcome = job.future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading a finished job", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("job on " + job.where() + " failed outside its error handling",
                e.getCause());
        }
        long t0 = System.nanoTime();
        producer.beginTransaction();
        try {
            producer.send(outcome.record());
            producer.sendOffsetsToTransaction(Map.of(job.partition, new OffsetAndMetadata(job.record.offset() + 1)),
                consumer.groupMetadata());
            producer.commitTransaction();
        } catch (KafkaException e) {
            // a fenced producer cannot abort either: then abortTransaction throws and the stage stops
            producer.abortTransaction();
            lastError = "commit of " + job.where() + " failed, will take it again: " + e.getMessage();
            log.warn("{}: {}", config.stage(), lastError, e);
            if (consumer.assignment().contains(job.partition)) {
                consumer.seek(job.partition, job.record.offset());
            }
            metrics.abandoned();
            return;
        }
        long publish = System.nanoTime() - t0;
        metrics.phase("publish", publish);
        Duration took = Duration.ofNanos(System.nanoTime() - job.startNanos);
        metrics.finished(outcome.outcome(), took);
        if (outcome.failure() == null) {
            metrics.model(outcome.metrics());
            log.info("{} {} -> {} in {} ms ({}, publish {} ms; {} bytes out)", config.stage(), job.where(),
                outcome.record().topic(), took.toMillis(), outcome.phases(), publish / 1_000_000,
                outcome.metrics().get(Metric.BYTES.key()).longValue());
        } else {
            lastError = outcome.failure();
            log.warn("{} {} -> {} after {} ms (publish {} ms): {}", config.stage(), job.where(),
                outcome.record().topic(), took.toMillis(), publish / 1_000_000, outcome.failure());
        }
    }

    /** Gives up the current job: nothing is committed, so its record is taken again by whoever owns its partition. */
    private void abandon(String why) {
        Job job = current;
        current = null;
        job.future.cancel(true);
        metrics.abandoned();
        log.warn("{}: abandoned the job on {} uncommitted: {}", config.stage(), job.where(), why);
    }

    // ---- the job, on the worker thread

    private Outcome process(Job job) throws InterruptedException {
        ModelEvent in;
        try {
            in = EventCodec.decode(job.record.value());
        } catch (BadEventException e) {
            return deadLetterRaw(job, JobFailure.badEvent(e));
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return succeed(job, in);
            } catch (JobFailure f) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("abandoned");
                }
                if (!f.retriable() || attempt > config.maxRetries()) {
                    return deadLetter(job, in, f, attempt);
                }
                Duration wait = config.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
                metrics.retried();
                log.warn("{} {}: attempt {} failed ({}), retrying in {} ms", config.stage(), job.where(), attempt,
                    f.getMessage(), wait.toMillis(), f);
                Thread.sleep(wait.toMillis());
            }
        }
    }

    private Outcome succeed(Job job, ModelEvent in) throws JobFailure, InterruptedException {
        Map<String, Long> phases = new LinkedHashMap<>();
        Path jobDir;
        try {
            jobDir = Files.createTempDirectory(workDir, "job-");
        } catch (IOException e) {
            throw JobFailure.other("making a work directory", e);
        }
        try {
            long t = System.nanoTime();
            Path file;
            try {
                // Artifacts.load below checks the file's SHA-256 against the event's, so the store need not
                file = config.store().fetch(in.artifact().uri(), in.artifact().sha256(), jobDir);
            } catch (StoreException e) {
                throw JobFailure.fromStore(e);
            } catch (IOException e) {
                throw JobFailure.other("fetching " + in.artifact().uri(), e);
            }
            t = phase(phases, "fetch", t);

            LoadedArtifact input;
            try {
                input = Artifacts.load(file, in.artifact().sha256());
            } catch (ArtifactException e) {
                throw JobFailure.fromArtifact(e, in.artifact().uri(), file);
            } catch (IOException e) {
                throw JobFailure.other("loading " + in.artifact().uri(), e);
            }
            metrics.read(input.ref().bytes());
            t = phase(phases, "load", t);

            TechniqueResult result;
            try {
                result = run(technique, input.graph(), options, context.forJob(input));
            } catch (Exception | StackOverflowError | OutOfMemoryError e) {
                throw JobFailure.fromTechnique(technique.name(), e);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("abandoned");
            }
            t = phase(phases, "technique", t);

            Map<String, Double> modelMetrics = modelMetrics(result);
            ModelCard card = input.card().derive(config.stage(), input.ref().sha256()).withMetrics(modelMetrics)
                .withProvenance("technique", technique.name())
                .withProvenance("options", optionValues.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")))
                .withProvenance("recipe", config.recipe() + " step " + config.step());
            ArtifactRef saved;
            try {
                saved = Artifacts.save(new Artifact(result.graph(), card), jobDir.resolve("output.safetensors"));
            } catch (IOException e) {
                throw JobFailure.other("saving the output artifact", e);
            }
            t = phase(phases, "save", t);

            StoredArtifact stored;
            try {
                // saved.sha256() was computed while writing the file, which nothing else touches
                stored = config.store().putOwned(saved.path(), saved.sha256());
            } catch (IOException e) {
                throw new JobFailure(JobFailure.Kind.STORE_UNAVAILABLE, "storing the output: " + e.getMessage(), e);
            }
            metrics.written(stored.bytes());
            phase(phases, "put", t);

            Map<String, Double> eventMetrics = new LinkedHashMap<>(modelMetrics);
            eventMetrics.put(Metric.BYTES.key(), (double) stored.bytes());
            ModelEvent out = in.next(config.stage(), config.step(), ArtifactInfo.of(stored, Artifacts.FORMAT),
                config.options(), eventMetrics, Timings.between(job.startedAt, Instant.now()));
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(route(result.accepted()), null,
                key(out), EventCodec.encode(out));
            CloudEventHeaders.write(record.headers(), out);
            return new Outcome(record, StageMetrics.OK, out.metrics(), null, describe(phases));
        } finally {
            deleteTree(jobDir);
        }
    }

    @SuppressWarnings("unchecked")
    private static <O> TechniqueResult run(Technique<O> t, Graph g, Object options, TechniqueContext c)
            throws IOException {
        return t.apply(g, (O) options, c);
    }

    /** What the technique measured, plus the size of the graph it returned. */
    private static Map<String, Double> modelMetrics(TechniqueResult result) {
        GraphSummary summary = GraphSummary.of(result.graph());
        Map<String, Double> m = new LinkedHashMap<>(result.metrics());
        m.put(Metric.PARAMS.key(), (double) summary.parameters());
        m.put(Metric.NONZERO_PARAMS.key(), (double) summary.nonZeroParameters());
        m.put(Metric.SPARSITY.key(), summary.sparsity());
        m.put(Metric.MACS.key(), (double) summary.macs());
        return m;
    }

    private String route(Boolean accepted) {
        if (config.routesByVerdict() && accepted != null) {
            return accepted ? config.acceptedTopic() : config.rejectedTopic();
        }
        return config.outputTopic();
    }

    private Outcome deadLetter(Job job, ModelEvent in, JobFailure f, int attempts) {
        ModelEvent failed = in.withError(new EventError(reason(f), f.kindName(), config.stage(), attempts));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(config.dlqTopic(), null, key(failed),
            EventCodec.encode(failed));
        CloudEventHeaders.write(record.headers(), failed);
        errorHeaders(record.headers(), job, f);
        return new Outcome(record, StageMetrics.DLQ, Map.of(), f.kindName() + ": " + reason(f), "");
    }

    /** A record that is no model event goes on as it came: its key, value and headers, plus the reason. */
    private Outcome deadLetterRaw(Job job, JobFailure f) {
        Headers headers = new RecordHeaders(job.record.headers().toArray());
        errorHeaders(headers, job, f);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(config.dlqTopic(), null, job.record.key(),
            job.record.value(), headers);
        return new Outcome(record, StageMetrics.DLQ, Map.of(), f.kindName() + ": " + reason(f), "");
    }

    private void errorHeaders(Headers headers, Job job, JobFailure f) {
        headers.remove(ERROR_HEADER).remove(ERROR_KIND_HEADER).remove(SOURCE_HEADER);
        headers.add(ERROR_HEADER, reason(f).getBytes(StandardCharsets.UTF_8));
        headers.add(ERROR_KIND_HEADER, f.kindName().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, job.where().getBytes(StandardCharsets.UTF_8));
    }

    private static String reason(JobFailure f) {
        return f.getMessage() == null || f.getMessage().isBlank() ? f.kindName() : f.getMessage();
    }

    private static byte[] key(ModelEvent event) {
        return event.lineageId().getBytes(StandardCharsets.UTF_8);
    }

    private static long phase(Map<String, Long> phases, String name, long since) {
        long now = System.nanoTime();
        phases.put(name, now - since);
        return now;
    }

    private String describe(Map<String, Long> phases) {
        phases.forEach((phase, nanos) -> metrics.phase(phase, nanos));
        return PHASES.stream().filter(phases::containsKey)
            .map(p -> String.format(Locale.ROOT, "%s %.1f ms", p, phases.get(p) / 1e6))
            .collect(Collectors.joining(", "));
    }

    // ---- shutdown

    private void release() {
        worker.shutdownNow();
        try {
            // an abandoned technique may ignore interruption; the loaders and references it uses stay open meanwhile
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("{}: the worker did not stop within 5 s", config.stage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
        metrics.close();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
        deleteTree(ownsWorkDir ? workDir : workDir.resolve("refs"));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a file left in a temporary directory is not worth failing a job or a shutdown for
        }
    }

    /** The record a job works on, and its result. */
    private static final class Job {
        final ConsumerRecord<byte[], byte[]> record;
        final TopicPartition partition;
        final long startNanos;
        final Instant startedAt;
        Future<Outcome> future;

        Job(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, long startNanos, Instant startedAt) {
            this.record = record;
            this.partition = partition;
            this.startNanos = startNanos;
            this.startedAt = startedAt;
        }

        String where() {
            return partition + "@" + record.offset();
        }
    }

    /**
     * What a finished job publishes.
     *
     * @param outcome {@link StageMetrics#OK} or {@link StageMetrics#DLQ}
     * @param failure the dead-letter reason; null for a published model
     * @param phases how long each phase took, for the log
     */
    private record Outcome(ProducerRecord<byte[], byte[]> record, String outcome, Map<String, Double> metrics,
                           String failure, String phases) {
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            metrics.rebalance("revoked");
            if (current != null && partitions.contains(current.partition)) {
                if (current.future.isDone()) {
                    // still the owner until this returns: commit what is done rather than have it redone
                    Job job = current;
                    current = null;
                    commit(job);
                } else {
                    abandon("its partition was revoked");
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            metrics.rebalance("lost");
            if (current != null && partitions.contains(current.partition)) {
                abandon("its partition was lost");
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            metrics.rebalance("assigned");
            if (current != null) {
                consumer.pause(partitions);
            }
        }
    }
}
