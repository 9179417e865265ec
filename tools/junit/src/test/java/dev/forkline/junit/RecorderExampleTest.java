package dev.forkline.junit;

import dev.forkline.testkit.ModelTestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JUnit example of docs/integrations.md: an agent written on the kernel's Recorder, tested against its
 * recording in src/test/resources/forkline/RecorderExampleTest/addsWithItsTool.events.jsonl.
 */
@ForklineRecording
class RecorderExampleTest
{
    @Test
    void addsWithItsTool(final Recording recording)
    {
        // record with -Dforkline.record=true: then the agent talks to a model (here the local test server)
        try (ModelTestServer model = recording.isRecording() ? ModelTestServer.start(ForklineExtensionTest.adder()) : null)
        {
            final HttpAgent agent = new HttpAgent(model != null ? model.openAiBaseUrl() : "http://127.0.0.1:9/v1");
            assertEquals("The sum is 42.", agent.run(recording.recorder(), "What is 40 + 2?", true));
            assertEquals(recording.isRecording() ? 1 : 0, agent.toolRuns.get());
        }
    }
}
