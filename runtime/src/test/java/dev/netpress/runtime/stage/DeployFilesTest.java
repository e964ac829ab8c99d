package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.netpress.data.DatasetSpec;
import dev.netpress.runtime.event.ModelEvent;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.recipe.RecipeLoader;

/**
 * Keeps the deployment files honest, since nothing on the build machines can start them (no Docker engine, no
 * cluster): docker-compose.yml and the Kubernetes manifests run exactly one service per step of the shipped
 * walkthrough recipe, each with that step's stage, and the Grafana dashboard queries only metrics, and labels,
 * that a real stage service puts on its /metrics.
 */
class DeployFilesTest {
    private static final Path ROOT = Path.of("..");
    private static final Path K8S = ROOT.resolve("k8s");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the Kubernetes stages mount the recipe ConfigMap, a copy of recipes/walkthrough.yaml. */
    private static final String MOUNTED_RECIPE = "/etc/netpress/recipes/walkthrough.yaml";

    private final Recipe recipe = new RecipeLoader().builtin("walkthrough");

    /**
     * The documents of a YAML file as Jackson trees. Parsed by SnakeYAML (which jackson-dataformat-yaml is built on)
     * because compose files share settings through merge keys ({@code <<: *anchor}), which Jackson leaves unmerged.
     */
    private static List<JsonNode> yaml(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
            if (doc != null) {
                docs.add(JSON.valueToTree(doc));
            }
        }
        return docs;
    }

    /** A {@code stage NAME --opt value ...} command line, options by name (repeatable ones keep every value). */
    record StageArgs(String stage, Map<String, List<String>> options) {
        static StageArgs parse(String where, List<String> args) {
            assertTrue(args.size() >= 2 && args.get(0).equals("stage") && !args.get(1).startsWith("-"),
                where + ": not 'stage NAME ...': " + args);
            Map<String, List<String>> options = new LinkedHashMap<>();
            for (int i = 2; i < args.size(); i += 2) {
                assertTrue(args.get(i).startsWith("--") && i + 1 < args.size(), where + ": odd option at " + i + ": " + args);
                options.computeIfAbsent(args.get(i), k -> new ArrayList<>()).add(args.get(i + 1));
            }
            return new StageArgs(args.get(1), options);
        }

        String one(String option) {
            List<String> v = options.getOrDefault(option, List.of());
            assertEquals(1, v.size(), option + " given once: " + options);
            return v.get(0);
        }

        Set<String> inputNames() {
            return options.getOrDefault("--input", List.of()).stream().map(v -> v.substring(0, v.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Checks a stage's command line against the recipe and returns its step number. */
    private int checkStep(String where, StageArgs a, String recipeArg, String expectedName) {
        assertEquals(recipeArg, a.one("--recipe"), where);
        int n = Integer.parseInt(a.one("--step"));
        assertTrue(n >= 1 && n <= recipe.steps().size(), where + ": no step " + n);
        assertEquals(recipe.step(n).stage(), a.stage(), where + " runs step " + n);
        assertEquals(expectedName, recipe.step(n).label(), where + " is named after its step");
        assertEquals(new TreeSet<>(recipe.inputsUsed()), a.inputNames(), where + " binds every input the steps use");
        return n;
    }

    private void assertEveryStepOnce(String what, List<Integer> steps) {
        assertEquals(IntStream.rangeClosed(1, recipe.steps().size()).boxed().toList(), steps.stream().sorted().toList(),
            what + ": exactly one per step of the walkthrough recipe");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void composeRunsOneStageServicePerStepAndPrometheusScrapesThemAll() throws IOException {
        JsonNode services = yaml(ROOT.resolve("docker-compose.yml")).get(0).get("services");
        List<Integer> steps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s : services.properties()) {
            JsonNode command = s.getValue().get("command");
            if (command == null || !command.isArray() || !command.get(0).asText().equals("stage")) {
                continue;
            }
            String where = "compose service " + s.getKey();
            StageArgs a = StageArgs.parse(where, texts(command));
            steps.add(checkStep(where, a, "walkthrough", s.getKey()));
            assertEquals("kafka:9092", a.one("--bootstrap-servers"), where);
            assertEquals("s3://netpress/artifacts", a.one("--store"), where);
            assertEquals("http://minio:9000", s.getValue().at("/environment/AWS_ENDPOINT_URL_S3").asText(), where);
            names.add(s.getKey());
        }
        assertEveryStepOnce("docker-compose.yml", steps);
        assertTrue(services.at("/minio-init/entrypoint").toString().contains("mc mb --ignore-existing local/netpress"),
            "minio-init creates the bucket of --store");
        assertEquals(List.of("topics", "--recipe", "walkthrough", "--bootstrap-servers", "kafka:9092"),
            texts(services.at("/topics/command")));

        JsonNode scrape = yaml(ROOT.resolve("dashboards/prometheus.yml")).get(0).get("scrape_configs");
        Set<String> scraped = new TreeSet<>();
        scrape.forEach(job -> job.path("dns_sd_configs").forEach(sd -> {
            sd.get("names").forEach(n -> scraped.add(n.asText()));
            assertEquals(8080, sd.get("port").asInt());
        }));
        assertEquals(new TreeSet<>(names), scraped, "prometheus.yml scrapes every stage service");
    }

    /** Every document of every manifest under k8s/ (the base and the KEDA overlay), by file. */
    private static Map<Path, List<JsonNode>> manifests() throws IOException {
        Map<Path, List<JsonNode>> out = new TreeMap<>();
        for (Path dir : List.of(K8S, K8S.resolve("keda"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    out.put(f, yaml(f));
                }
            }
        }
        return out;
    }

    @Test
    void kubernetesRunsOneStatefulSetPerStepWithProbesAndScrapeAnnotations() throws IOException {
        Map<Path, List<JsonNode>> manifests = manifests();
        List<Integer> steps = new ArrayList<>();
        Map<String, Integer> stepOf = new HashMap<>();
        for (Map.Entry<Path, List<JsonNode>> f : manifests.entrySet()) {
            for (JsonNode d : f.getValue()) {
                if (!d.path("kind").asText().equals("StatefulSet")) {
                    continue;
                }
                String name = d.at("/metadata/name").asText();
                String where = f.getKey().getFileName() + " " + name;
                JsonNode pod = d.at("/spec/template");
                JsonNode container = pod.at("/spec/containers/0");
                StageArgs a = StageArgs.parse(where, texts(container.get("args")));
                assertTrue(name.startsWith("netpress-"), where);
                int n = checkStep(where, a, MOUNTED_RECIPE, name.substring("netpress-".length()));
                steps.add(n);
                stepOf.put(name, n);
                assertEquals("$(NETPRESS_BOOTSTRAP_SERVERS)", a.one("--bootstrap-servers"), where);
                assertTrue(a.options().get("--instance-id") == null, where + ": the pod name ($HOSTNAME) is the instance id");
                assertEquals("true", pod.at("/metadata/annotations/prometheus.io~1scrape").asText(), where);
                assertEquals("8080", pod.at("/metadata/annotations/prometheus.io~1port").asText(), where);
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    assertEquals("/health", container.at("/" + probe + "/httpGet/path").asText(), where + " " + probe);
                }
                assertTrue(container.at("/resources/limits/memory").isTextual(), where + " has a memory limit");
                assertEquals("netpress-recipes", pod.at("/spec/volumes/0/configMap/name").asText(), where);
                assertEquals("/etc/netpress/recipes", container.at("/volumeMounts/0/mountPath").asText(), where);
                assertEquals("netpress-s3", container.at("/envFrom/1/secretRef/name").asText(), where);
            }
        }
        assertEveryStepOnce("k8s/", steps);

        // the ScaledObjects of the KEDA overlay watch each stage's own consumer group and input topic
        int scaled = 0;
        for (JsonNode d : manifests.get(K8S.resolve("keda/scaledobjects.yaml"))) {
            String target = d.at("/spec/scaleTargetRef/name").asText();
            Integer n = stepOf.get(target);
            assertTrue(n != null, "ScaledObject targets a stage StatefulSet: " + target);
            JsonNode trigger = d.at("/spec/triggers/0/metadata");
            assertEquals(recipe.groupId(n), trigger.get("consumerGroup").asText(), target);
            assertEquals(recipe.topicIn(n), trigger.get("topic").asText(), target);
            scaled++;
        }
        assertEquals(recipe.steps().size(), scaled, "one ScaledObject per stage");
    }

    @Test
    void kustomizationListsEveryManifestAndShipsTheRecipeUnchanged() throws IOException {
        JsonNode k = yaml(K8S.resolve("kustomization.yaml")).get(0);
        Set<String> listed = new TreeSet<>(texts(k.get("resources")));
        Set<String> present;
        try (Stream<Path> files = Files.list(K8S)) {
            present = files.map(f -> f.getFileName().toString())
                .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(present, listed, "kustomization.yaml lists every manifest in k8s/");
        assertEquals("netpress-recipes", k.at("/configMapGenerator/0/name").asText());
        assertEquals("recipes/walkthrough.yaml", k.at("/configMapGenerator/0/files/0").asText());
        assertEquals(Files.readString(ROOT.resolve("recipes/walkthrough.yaml")),
            Files.readString(K8S.resolve("recipes/walkthrough.yaml")), "k8s/recipes/walkthrough.yaml is the shipped recipe");
        JsonNode job = manifests().get(K8S.resolve("topics-job.yaml")).get(0);
        assertEquals(List.of("topics", "--recipe", MOUNTED_RECIPE), texts(job.at("/spec/template/spec/containers/0/args")).subList(0, 3));
    }

    /** A metric name in PromQL: an identifier not followed by '(' once label matchers, ranges and by-clauses are gone. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
        "bool", "and", "or", "unless", "offset");

    @Test
    void theDashboardQueriesOnlyMetricsAndLabelsAStageExports() throws Exception {
        Map<String, Set<String>> exported = scrapeAStage();
        JsonNode dashboard = JSON.readTree(ROOT.resolve("dashboards/netpress.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.get("expr").asText())));
        dashboard.at("/templating/list").forEach(v -> exprs.add(v.at("/query/query").asText()
            .replaceAll("^label_values\\((\\w+),\\s*(\\w+)\\)$", "sum by ($2) ($1)")));
        assertTrue(exprs.size() > 10, "panels with queries: " + exprs);
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            Set<String> metrics = new TreeSet<>();
            String bare = GROUPING.matcher(expr.replaceAll("\\[[^]]*]", "")).replaceAll("");
            Matcher m = SELECTOR.matcher(bare);
            while (m.find()) {
                String id = m.group(1);
                boolean call = m.group(2) == null && bare.substring(m.end(1)).stripLeading().startsWith("(");
                if (call || PROMQL_WORDS.contains(id) || id.matches("\\d.*")) {
                    continue;
                }
                assertTrue(exported.containsKey(id), "dashboard query uses " + id + ", which no stage exports: " + expr
                    + "\nexported: " + exported.keySet());
                metrics.add(id);
                if (m.group(3) != null) {
                    for (String matcher : m.group(3).split(",")) {
                        String label = matcher.replaceAll("[=!~].*", "").strip();
                        assertTrue(exported.get(id).contains(label), id + " has no label " + label + ": " + expr);
                    }
                }
            }
            assertTrue(!metrics.isEmpty(), "a query without a metric: " + expr);
            Matcher g = GROUPING.matcher(expr);
            while (g.find()) {
                for (String label : g.group(1).split(",")) {
                    assertTrue(metrics.stream().anyMatch(x -> exported.get(x).contains(label.strip())),
                        "grouping by " + label.strip() + ", which none of " + metrics + " has: " + expr);
                }
            }
            used.addAll(metrics);
        }
        for (String wanted : List.of("netpress_stage_jobs_total", "netpress_stage_job_duration_seconds_bucket",
                "netpress_stage_jobs_in_flight", "netpress_stage_read_bytes_total", "netpress_stage_written_bytes_total",
                "kafka_consumer_fetch_manager_records_lag_max", "netpress_model_params", "netpress_model_macs",
                "netpress_model_sparsity", "netpress_model_accuracy", "netpress_model_latency_ms_b1")) {
            assertTrue(used.contains(wanted), "the dashboard shows " + wanted);
        }
    }

    /**
     * Runs an evaluate stage (the one that measures accuracy and latency too) on a real broker for one tiny model
     * and reads its /metrics: every sample's name with the labels it carries.
     */
    private static Map<String, Set<String>> scrapeAStage() throws Exception {
        try (StageTestKit kit = new StageTestKit()) {
            kit.kafka.createTopics("deploy.in", "deploy.out", "deploy.accepted", "deploy.rejected");
            ModelEvent model = kit.submission(StageTestKit.tiny(10), "deploy-model");
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (StageService evaluate = new StageService(kit.stage("evaluate", 1, "deploy.in", "deploy.out")
                     .options(Map.of("baseline", "sha256:" + model.artifact().sha256(), "max_accuracy_drop", "100",
                         "warmup", "1", "runs", "5", "rounds", "1"))
                     .verdictTopics("deploy.accepted", "deploy.rejected")
                     .data(DatasetSpec.parse("fashion-mnist"), 32, 64, 64).build(), registry);
                 StageHttp http = new StageHttp(0, evaluate, registry)) {
                evaluate.start();
                kit.send("deploy.in", model);
                assertEquals(1, kit.read("deploy.accepted", 1, Duration.ofSeconds(60), Duration.ZERO).size());
                String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                Map<String, Set<String>> out = new TreeMap<>();
                Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ");
                Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
                for (String line : text.split("\n")) {
                    Matcher m = sample.matcher(line);
                    if (line.startsWith("#") || !m.find()) {
                        continue;
                    }
                    Set<String> labels = out.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                    if (m.group(3) != null) {
                        Matcher l = label.matcher(m.group(3));
                        while (l.find()) {
                            labels.add(l.group(1));
                        }
                    }
                }
                return out;
            }
        }
    }
}
