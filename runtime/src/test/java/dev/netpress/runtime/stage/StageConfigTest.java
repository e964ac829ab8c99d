package dev.netpress.runtime.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.netpress.runtime.store.ArtifactStore;
import dev.netpress.runtime.store.FileStore;

/** Configuration and references, checked before anything connects. */
class StageConfigTest {
    private static final String SHA = "0123456789abcdef".repeat(4);

    @TempDir
    Path dir;

    private StageConfig.Builder prune(ArtifactStore store) {
        return StageConfig.builder("prune", "walkthrough", 3).topics("walkthrough.2", "walkthrough.3")
            .kafka("localhost:9", null).store(store);
    }

    @Test
    void defaultsFollowTheRecipeAndStep() throws Exception {
        try (FileStore store = new FileStore(dir)) {
            StageConfig c = prune(store).instanceId("0").build();
            assertEquals("walkthrough.2.dlq", c.dlqTopic());
            assertEquals("netpress.walkthrough.3.prune", c.groupId());
            assertEquals("netpress.walkthrough.3.prune-0", c.transactionalId(), "stable per replica");
            assertEquals(2, c.maxRetries());
            assertEquals(false, c.routesByVerdict());
        }
    }

    @Test
    void aBadOptionFailsAtStartNamingIt() throws Exception {
        try (FileStore store = new FileStore(dir)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StageService(prune(store).options(Map.of("ratio", "lots")).build()));
            assertTrue(e.getMessage().contains("stage prune of recipe walkthrough, step 3"), e.getMessage());
            assertTrue(e.getMessage().contains("ratio = 'lots'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                () -> new StageService(prune(store).options(Map.of("mode", "structured", "ratio", "1.5")).build()));
            assertTrue(e.getMessage().contains("ratio must be in (0, 1)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                () -> new StageService(prune(store).options(Map.of("colour", "red")).build()));
            assertTrue(e.getMessage().contains("prune has no option 'colour'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                () -> new StageService(StageConfig.builder("shrink", "r", 1).topics("a", "b").kafka("localhost:9", null)
                    .store(store).build()));
            assertTrue(e.getMessage().contains("unknown technique 'shrink'"), e.getMessage());
        }
    }

    @Test
    void inconsistentConfigurationsAreRefused() throws Exception {
        try (FileStore store = new FileStore(dir)) {
            assertThrows(IllegalArgumentException.class, () -> prune(store).topics("t", "t").build());
            assertThrows(IllegalArgumentException.class, () -> prune(store).verdictTopics("ok", null).build());
            assertThrows(IllegalArgumentException.class, () -> StageConfig.builder("prune", "r", 0).topics("a", "b")
                .kafka("localhost:9", null).store(store).build());
            assertThrows(IllegalArgumentException.class, () -> StageConfig.builder("prune", "r", 1).topics("a", "b")
                .store(store).build(), "no broker");
        }
    }

    @Test
    void referencesSayWhichBytesTheyMean() {
        String root = "file:///srv/store/";
        String keyed = root + "artifacts/" + SHA + ".safetensors";
        assertEquals(new StageContext.Reference(keyed, SHA), StageContext.parse("sha256:" + SHA, root));
        assertEquals(new StageContext.Reference(keyed, SHA), StageContext.parse(keyed, root));
        assertEquals(new StageContext.Reference("s3://b/teacher.safetensors", SHA),
            StageContext.parse("s3://b/teacher.safetensors#sha256=" + SHA.toUpperCase(), root));
        assertThrows(IllegalArgumentException.class, () -> StageContext.parse("file:///srv/store/teacher.safetensors", root),
            "a name that is not a digest says nothing about the content");
        assertThrows(IllegalArgumentException.class, () -> StageContext.parse("sha256:abc", root));
        assertThrows(IllegalArgumentException.class, () -> StageContext.parse(keyed + "#md5=" + SHA, root));
    }
}
