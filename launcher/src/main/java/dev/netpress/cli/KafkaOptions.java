package dev.netpress.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The broker options shared by the pipeline commands: where Kafka is and how to talk to it (TLS, SASL). */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "The Kafka cluster (default: an in-process broker where the command can start one).")
    String bootstrapServers;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "A properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, …).")
    Path clientConfig;

    @Option(names = "--client-property", paramLabel = "KEY=VALUE",
            description = "One Kafka client setting; repeatable, overrides --client-config.")
    Map<String, String> clientProperties = new LinkedHashMap<>();

    Properties properties() throws IOException {
        Properties p = new Properties();
        if (clientConfig != null) {
            try (InputStream in = Files.newInputStream(clientConfig)) {
                p.load(in);
            }
        }
        p.putAll(clientProperties);
        return p;
    }
}
