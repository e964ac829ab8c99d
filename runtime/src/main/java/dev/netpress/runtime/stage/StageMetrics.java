package dev.netpress.runtime.stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

import dev.netpress.measure.Metric;

/**
 * A stage's meters, tagged {@code stage} and {@code recipe}. In Prometheus terms: {@code netpress_stage_jobs_total
 * {outcome=ok|retried|dlq}} (retried counts attempts that failed and were tried again),
 * {@code netpress_stage_job_duration_seconds{outcome}} (with histogram buckets), {@code netpress_stage_jobs_in_flight},
 * {@code netpress_stage_read_bytes_total} and {@code netpress_stage_written_bytes_total} (artifacts),
 * {@code netpress_stage_phase_seconds{phase}} (fetch, load, technique, save, put, publish),
 * {@code netpress_stage_rebalances_total{event=assigned|revoked|lost}}, and the last output model's
 * {@code netpress_model_<metric>} for params, nonzero_params, macs, sparsity, bytes, accuracy and latency_ms_b1,
 * once a job has measured them. Kafka's own client metrics are bound as {@code kafka_*}.
 */
final class StageMetrics implements AutoCloseable {
    static final String OK = "ok";
    static final String RETRIED = "retried";
    static final String DLQ = "dlq";
    private static final List<Metric> MODEL_GAUGES = List.of(Metric.PARAMS, Metric.NONZERO_PARAMS, Metric.MACS,
        Metric.SPARSITY, Metric.BYTES, Metric.ACCURACY, Metric.LATENCY_MS_B1);

    private final MeterRegistry registry;
    private final Tags tags;
    private final Counter ok;
    private final Counter retried;
    private final Counter dlq;
    private final Counter read;
    private final Counter written;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicLong> model = new ConcurrentHashMap<>();
    private final List<KafkaClientMetrics> clients = new ArrayList<>();

    StageMetrics(MeterRegistry registry, String stage, String recipe) {
        this.registry = registry;
        this.tags = Tags.of("stage", stage, "recipe", recipe);
        this.ok = jobs(OK);
        this.retried = jobs(RETRIED);
        this.dlq = jobs(DLQ);
        this.read = Counter.builder("netpress.stage.read").baseUnit("bytes").description("artifact bytes downloaded")
            .tags(tags).register(registry);
        this.written = Counter.builder("netpress.stage.written").baseUnit("bytes").description("artifact bytes stored")
            .tags(tags).register(registry);
        Gauge.builder("netpress.stage.jobs.in.flight", inFlight, AtomicInteger::get)
            .description("jobs being worked on").tags(tags).register(registry);
        for (String event : List.of("assigned", "revoked", "lost")) {
            rebalances(event);
        }
    }

    private Counter jobs(String outcome) {
        return Counter.builder("netpress.stage.jobs").description("jobs by outcome").tags(tags).tag("outcome", outcome)
            .register(registry);
    }

    private Counter rebalances(String event) {
        return Counter.builder("netpress.stage.rebalances")
            .description("partition assignments received, and revocations and losses of partitions")
            .tags(tags).tag("event", event).register(registry);
    }

    void bind(Consumer<?, ?> consumer, Producer<?, ?> producer) {
        for (KafkaClientMetrics m : List.of(new KafkaClientMetrics(consumer, tags), new KafkaClientMetrics(producer, tags))) {
            m.bindTo(registry);
            clients.add(m);
        }
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void finished(String outcome, Duration took) {
        inFlight.decrementAndGet();
        (OK.equals(outcome) ? ok : dlq).increment();
        // histogram buckets, so Prometheus can take quantiles across replicas; jobs run from under a second to an hour
        Timer.builder("netpress.stage.job.duration").description("time from taking a record to committing its outcome")
            .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100))
            .maximumExpectedValue(Duration.ofHours(1))
            .tags(tags).tag("outcome", outcome).register(registry).record(took);
    }

    /** A job abandoned (shutdown, revoked partition): no outcome, another replica will redo it. */
    void abandoned() {
        inFlight.decrementAndGet();
    }

    void retried() {
        retried.increment();
    }

    void read(long bytes) {
        read.increment(bytes);
    }

    void written(long bytes) {
        written.increment(bytes);
    }

    void phase(String phase, long nanos) {
        Timer.builder("netpress.stage.phase").description("time per phase of a job").tags(tags).tag("phase", phase)
            .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    void rebalance(String event) {
        rebalances(event).increment();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Sets the model gauges to an output model's metrics; a gauge appears with the first model that has it. */
    void model(Map<String, Double> metrics) {
        for (Metric m : MODEL_GAUGES) {
            Double v = metrics.get(m.key());
            if (v != null) {
                model.computeIfAbsent(m.key(), key -> {
                    AtomicLong bits = new AtomicLong();
                    Gauge.builder("netpress.model." + key.replace('_', '.'), bits, b -> Double.longBitsToDouble(b.get()))
                        .description("the last output model's " + key).tags(tags).register(registry);
                    return bits;
                }).set(Double.doubleToLongBits(v));
            }
        }
    }

    @Override
    public void close() {
        clients.forEach(KafkaClientMetrics::close);
        clients.clear();
    }
}
