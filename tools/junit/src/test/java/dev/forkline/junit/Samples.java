package dev.forkline.junit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test classes that use the extension, run by {@link ForklineExtensionTest} through the JUnit Platform's test
 * kit (nested, so the build does not run them on their own). What they do comes from the static fields.
 */
final class Samples
{
    static volatile String baseUrl;
    static volatile String question = "What is 2 + 3?";
    static volatile boolean end = true;
    static volatile HttpAgent lastAgent;

    private Samples()
    {
    }

    static void reset()
    {
        question = "What is 2 + 3?";
        end = true;
        lastAgent = null;
    }

    @ForklineRecording
    static class Adds
    {
        @Test
        void adds(final Recording recording)
        {
            final HttpAgent agent = new HttpAgent(baseUrl);
            lastAgent = agent;
            final String answer = agent.run(recording.recorder(), question, end);
            assertEquals("The sum is 5.", answer);
        }
    }

    static class TwoAgents
    {
        @Test
        @ForklineRecording
        void twoAgentsAtOnce(final Recording recording) throws Exception
        {
            final CompletableFuture<String> first = CompletableFuture.supplyAsync(
                () -> new HttpAgent(baseUrl).run(recording.recorder("first"), "What is 1 + 1?", true));
            final CompletableFuture<String> second = CompletableFuture.supplyAsync(
                () -> new HttpAgent(baseUrl).run(recording.recorder("second"), "What is 20 + 22?", true));
            assertEquals("The sum is 2.", first.get(30, TimeUnit.SECONDS));
            assertEquals("The sum is 42.", second.get(30, TimeUnit.SECONDS));
        }
    }
}
