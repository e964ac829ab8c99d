package dev.netpress.runtime.stage;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A stage's HTTP endpoints, for Prometheus and for liveness and readiness probes:
 * <ul>
 *   <li>{@code GET /metrics}: the registry in the Prometheus text format;
 *   <li>{@code GET /health}: {@code {"status":"UP","stage":…,"state":…,"inFlight":…,"lastError":…}} with 200
 *       while the stage's loop runs, and status {@code DOWN} with 503 before it starts, once it stops, or when it
 *       has failed.
 * </ul>
 */
public final class StageHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Serves {@code stage}'s health and {@code registry}'s meters on {@code port} (0 for any free port) of all
     * interfaces.
     */
    public StageHttp(int port, StageService stage, PrometheusMeterRegistry registry) throws IOException {
        this(new InetSocketAddress(port), stage, registry);
    }

    public StageHttp(InetSocketAddress address, StageService stage, PrometheusMeterRegistry registry)
            throws IOException {
        server = HttpServer.create(address, 0);
        server.createContext("/metrics", exchange -> respond(exchange, 200, TEXT_FORMAT, registry.scrape()));
        server.createContext("/health", exchange -> health(exchange, stage));
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netpress-" + stage.config().stage() + "-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, StageService stage) throws IOException {
        boolean up = stage.running();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("stage", stage.config().stage());
        body.put("recipe", stage.config().recipe());
        body.put("step", stage.config().step());
        body.put("state", stage.state().name());
        body.put("inFlight", stage.inFlight());
        body.put("lastError", stage.lastError());
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
        respond(exchange, up ? 200 : 503, "application/json", json);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
