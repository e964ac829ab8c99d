package dev.netpress.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netpress.runtime.broker.EmbeddedKafka;
import dev.netpress.runtime.recipe.Recipe;
import dev.netpress.runtime.recipe.RecipeLoader;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** {@code netpress topics} creates every topic of a recipe on a real broker, and a second run changes nothing. */
class TopicsCommandTest {
    @Test
    void createsEveryTopicOfTheRecipeAndIsIdempotent() throws Exception {
        Recipe walkthrough = new RecipeLoader().builtin("walkthrough");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (int run = 0; run < 2; run++) {
                Cli.Result r = Cli.run("topics", "--recipe", "walkthrough", "--bootstrap-servers", kafka.bootstrapServers());
                assertEquals(0, r.exit(), r.transcript());
                assertEquals(walkthrough.topics(), Set.of(r.out().strip().split("\n")), r.out());
            }
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (Admin admin = Admin.create(p)) {
                Set<String> existing = admin.listTopics().names().get();
                assertTrue(existing.containsAll(walkthrough.topics()), existing.toString());
            }
        }
    }

    @Test
    void needsABroker() {
        Cli.Result r = Cli.run("topics", "--recipe", "quick");
        assertEquals(2, r.exit(), r.transcript());
        assertTrue(r.err().contains("--bootstrap-servers"), r.err());
    }
}
