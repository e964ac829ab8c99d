package dev.netpress.runtime.stage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import dev.netpress.data.DatasetSpec;
import dev.netpress.runtime.store.ArtifactStore;

/**
 * Everything one stage service needs: which technique for which recipe step, its topics, its options as
 * text, the broker and the store, the data a training or measuring technique uses, and the failure policy.
 *
 * @param stage the technique's name ({@code prune}, {@code fold}, …), also the stage name in events
 * @param step the recipe step this stage is; its output events carry this step number
 * @param dlqTopic where events the stage gives up on go; {@code <input>.dlq} by default
 * @param acceptedTopic with {@code rejectedTopic}: where a judging technique's (evaluate's) output goes by
 *     verdict instead of {@code outputTopic}; both null when the stage does not route
 * @param options the technique's options as written in a recipe; parsed when the service is built
 * @param clientProperties extra Kafka client properties (TLS, SASL, timeouts) for the consumer and producer
 * @param groupId the consumer group; {@code netpress.<recipe>.<step>.<stage>} by default
 * @param trainLimit use only the first N training examples (null: all)
 * @param validLimit use only the first N validation examples (null: all)
 * @param maxRetries further attempts after a failure that may pass on retry
 * @param backoff the wait before the first retry; it doubles with each further one
 * @param transactionalIdPrefix with {@code instanceId}, the producer's transactional id: stable across
 *     restarts of one replica, so a restarted replica fences the one it replaces
 * @param instanceId this replica's name within the stage (e.g. a StatefulSet pod's ordinal)
 * @param workDir where inputs are downloaded and outputs written before upload; a temporary directory
 *     (deleted on close) when null
 * @param shutdownTimeout how long {@link StageService#close()} lets a running job finish before abandoning it
 */
public record StageConfig(String stage, String recipe, int step, String inputTopic, String outputTopic, String dlqTopic,
                          String acceptedTopic, String rejectedTopic, Map<String, String> options,
                          String bootstrapServers, Properties clientProperties, ArtifactStore store, String groupId,
                          DatasetSpec dataset, int batchSize, Integer trainLimit, Integer validLimit, int maxRetries,
                          Duration backoff, String transactionalIdPrefix, String instanceId, Path workDir,
                          Duration shutdownTimeout) {
    public StageConfig {
        requireText(stage, "stage");
        requireText(recipe, "recipe");
        requireText(inputTopic, "inputTopic");
        requireText(outputTopic, "outputTopic");
        requireText(dlqTopic, "dlqTopic");
        requireText(bootstrapServers, "bootstrapServers");
        requireText(groupId, "groupId");
        requireText(transactionalIdPrefix, "transactionalIdPrefix");
        requireText(instanceId, "instanceId");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (step < 1) {
            throw new IllegalArgumentException("a stage is recipe step 1 or later, not " + step);
        }
        if ((acceptedTopic == null) != (rejectedTopic == null)) {
            throw new IllegalArgumentException("routing by verdict needs both the accepted and the rejected topic");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (trainLimit != null && trainLimit < 1 || validLimit != null && validLimit < 1) {
            throw new IllegalArgumentException("data limits must be at least 1 when set");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be >= 0, got " + maxRetries);
        }
        if (backoff.isNegative() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("backoff and shutdown timeout must not be negative");
        }
        if (inputTopic.equals(outputTopic) || inputTopic.equals(dlqTopic)) {
            throw new IllegalArgumentException("a stage cannot write to its own input topic " + inputTopic);
        }
        options = Map.copyOf(new TreeMap<>(Objects.requireNonNull(options, "options")));
        Properties copy = new Properties();
        if (clientProperties != null) {
            copy.putAll(clientProperties);
        }
        clientProperties = copy;
    }

    /** The producer's transactional id. */
    public String transactionalId() {
        return transactionalIdPrefix + "-" + instanceId;
    }

    /** Whether output goes to an accepted or rejected topic by the technique's verdict. */
    public boolean routesByVerdict() {
        return acceptedTopic != null;
    }

    /** A configuration with the defaults for one step of one recipe; the input and output topics are required. */
    public static Builder builder(String stage, String recipe, int step) {
        return new Builder(stage, recipe, step);
    }

    /** Defaults: the bundled Fashion-MNIST, batch 64, 2 retries from 1 s, a random instance id, 30 s to shut down. */
    public static final class Builder {
        private final String stage;
        private final String recipe;
        private final int step;
        private String inputTopic;
        private String outputTopic;
        private String dlqTopic;
        private String acceptedTopic;
        private String rejectedTopic;
        private Map<String, String> options = Map.of();
        private String bootstrapServers;
        private Properties clientProperties = new Properties();
        private ArtifactStore store;
        private String groupId;
        private DatasetSpec dataset = DatasetSpec.parse(DatasetSpec.FASHION_MNIST);
        private int batchSize = 64;
        private Integer trainLimit;
        private Integer validLimit;
        private int maxRetries = 2;
        private Duration backoff = Duration.ofSeconds(1);
        private String transactionalIdPrefix;
        private String instanceId = UUID.randomUUID().toString();
        private Path workDir;
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        private Builder(String stage, String recipe, int step) {
            this.stage = stage;
            this.recipe = recipe;
            this.step = step;
        }

        public Builder topics(String input, String output) {
            this.inputTopic = input;
            this.outputTopic = output;
            return this;
        }

        public Builder dlqTopic(String topic) {
            this.dlqTopic = topic;
            return this;
        }

        public Builder verdictTopics(String accepted, String rejected) {
            this.acceptedTopic = accepted;
            this.rejectedTopic = rejected;
            return this;
        }

        public Builder options(Map<String, String> raw) {
            this.options = raw;
            return this;
        }

        public Builder kafka(String bootstrap, Properties extra) {
            this.bootstrapServers = bootstrap;
            this.clientProperties = extra;
            return this;
        }

        public Builder store(ArtifactStore s) {
            this.store = s;
            return this;
        }

        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        public Builder data(DatasetSpec spec, int batch, Integer trainLimitOrNull, Integer validLimitOrNull) {
            this.dataset = spec;
            this.batchSize = batch;
            this.trainLimit = trainLimitOrNull;
            this.validLimit = validLimitOrNull;
            return this;
        }

        public Builder retries(int max, Duration firstBackoff) {
            this.maxRetries = max;
            this.backoff = firstBackoff;
            return this;
        }

        public Builder transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix = prefix;
            return this;
        }

        public Builder instanceId(String id) {
            this.instanceId = id;
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = timeout;
            return this;
        }

        public StageConfig build() {
            String prefix = "netpress." + recipe + "." + step + "." + stage;
            return new StageConfig(stage, recipe, step, inputTopic, outputTopic,
                dlqTopic != null ? dlqTopic : inputTopic + ".dlq", acceptedTopic, rejectedTopic, options,
                bootstrapServers, clientProperties, store, groupId != null ? groupId : prefix, dataset, batchSize,
                trainLimit, validLimit, maxRetries, backoff,
                transactionalIdPrefix != null ? transactionalIdPrefix : prefix, instanceId, workDir, shutdownTimeout);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("stage configuration needs " + what);
        }
    }
}
