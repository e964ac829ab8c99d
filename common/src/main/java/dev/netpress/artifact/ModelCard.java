package dev.netpress.artifact;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an artifact says about its model: who made it from what, and how it measures.
 *
 * <p>Stored as JSON inside the artifact. Unknown fields are ignored when reading, so cards written
 * by newer builds still load. Maps are sorted, so the same card always gives the same JSON.
 *
 * @param name the model's name, e.g. "vgg16_bn"
 * @param lineageId shared by a model and every model compressed from it
 * @param parentSha256 file SHA-256 of the artifact this model was made from; null for a root model
 * @param createdBy what produced the model, e.g. "zoo:vgg16_bn" or a stage name
 * @param metrics measurements such as "accuracy", "params", "macs", "latency_ms_b1"; finite values
 * @param provenance free-form facts: options, data set, versions
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelCard(String name, String lineageId, String parentSha256, String createdBy,
        SortedMap<String, Double> metrics, SortedMap<String, String> provenance) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** @throws IllegalArgumentException for a missing field, a bad parent hash or a non-finite metric */
    public ModelCard {
        requireText("name", name);
        requireText("lineageId", lineageId);
        requireText("createdBy", createdBy);
        if (parentSha256 != null && !SHA256_HEX.matcher(parentSha256).matches()) {
            throw new IllegalArgumentException("model card parentSha256 must be 64 lowercase hex digits, got '"
                    + parentSha256 + "'");
        }
        metrics = copy(metrics);
        metrics.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException("model card metric '" + k + "' must be a finite number, got " + v);
            }
        });
        provenance = copy(provenance);
        provenance.forEach((k, v) -> {
            if (v == null) {
                throw new IllegalArgumentException("model card provenance '" + k + "' has no value");
            }
        });
    }

    /** A card for a root model: no parent, no metrics, no provenance yet. */
    public static ModelCard of(String name, String lineageId, String createdBy) {
        return new ModelCard(name, lineageId, null, createdBy, null, null);
    }

    /**
     * A card for a model made from the one this card describes: same name and lineage, the given
     * parent and producer, and no metrics or provenance (those describe the new model).
     */
    public ModelCard derive(String createdBy, String parentSha256) {
        return new ModelCard(name, lineageId, parentSha256, createdBy, null, null);
    }

    public ModelCard withName(String newName) {
        return new ModelCard(newName, lineageId, parentSha256, createdBy, metrics, provenance);
    }

    public ModelCard withParent(String sha256) {
        return new ModelCard(name, lineageId, sha256, createdBy, metrics, provenance);
    }

    public ModelCard withCreatedBy(String producer) {
        return new ModelCard(name, lineageId, parentSha256, producer, metrics, provenance);
    }

    /** This card with one metric added or replaced. */
    public ModelCard withMetric(String key, double value) {
        return withMetrics(Map.of(key, value));
    }

    /** This card with several metrics added or replaced. */
    public ModelCard withMetrics(Map<String, Double> more) {
        SortedMap<String, Double> m = new TreeMap<>(metrics);
        m.putAll(more);
        return new ModelCard(name, lineageId, parentSha256, createdBy, m, provenance);
    }

    /** This card with one provenance entry added or replaced. */
    public ModelCard withProvenance(String key, String value) {
        SortedMap<String, String> p = new TreeMap<>(provenance);
        p.put(key, value);
        return new ModelCard(name, lineageId, parentSha256, createdBy, metrics, p);
    }

    /** The card as compact JSON; equal cards give equal strings. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a model card always serialises", e);
        }
    }

    /** @throws IllegalArgumentException if the JSON does not parse or describes no valid card */
    public static ModelCard fromJson(String json) {
        ModelCard card;
        try {
            card = JSON.readValue(json, ModelCard.class);
        } catch (JsonProcessingException e) {
            // a constructor check arrives wrapped; its own message is the clear one
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(cause instanceof IllegalArgumentException
                    ? cause.getMessage() : "model card JSON does not parse: " + e.getOriginalMessage(), e);
        }
        if (card == null) {
            throw new IllegalArgumentException("model card JSON is null");
        }
        return card;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("model card needs a non-empty " + field);
        }
    }

    private static <V> SortedMap<String, V> copy(Map<String, V> m) {
        return Collections.unmodifiableSortedMap(m == null ? new TreeMap<>() : new TreeMap<>(m));
    }
}
