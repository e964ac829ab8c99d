package dev.netpress.runtime.stage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A stage test class: one broker and store ({@link StageTestKit}) for all its tests, started before and closed after. */
abstract class StageKitTest {
    static StageTestKit kit;

    @BeforeAll
    static void startKit() throws Exception {
        kit = new StageTestKit();
    }

    @AfterAll
    static void closeKit() {
        kit.close();
    }
}
