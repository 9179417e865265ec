package dev.forkline.springai;

import dev.forkline.kernel.Store;
import dev.forkline.testkit.CalculatorScript;
import dev.forkline.testkit.ModelTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A Boot application that only adds the dependency and sets {@code forkline.store} and {@code forkline.mode}
 * records its {@code ChatClient} calls, and replays them with the model server stopped.
 */
class AutoConfigurationTest
{
    private static final String QUESTION = "What is 20 + 22 and 9 / 3?";
    private static final String ANSWER = "Results: 42, 3.";

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start(final String rootUrl, final String mode)
    {
        return new SpringApplicationBuilder(BootAgentApplication.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.ai.openai.base-url=" + rootUrl,
                "spring.ai.openai.api-key=test-key",
                "spring.ai.openai.chat.options.model=" + ModelTestServer.MODEL,
                "spring.ai.retry.max-attempts=1",
                "spring.main.banner-mode=off",
                "forkline.store=" + dir.resolve("store"),
                "forkline.mode=" + mode)
            .run();
    }

    private static String ask(final ConfigurableApplicationContext context, final SpringCalculator tools)
    {
        final ChatClient chat = context.getBean(ChatClient.Builder.class).build();
        return chat.prompt().user(QUESTION).tools(tools).advisors(a -> a.param(ForklineAdvisor.SESSION, "boot-1")).call().content();
    }

    @Test
    void theApplicationRecordsWithTwoPropertiesAndReplaysWithTheServerStopped()
    {
        final String url;
        try (ModelTestServer server = ModelTestServer.start(CalculatorScript.script()))
        {
            url = server.rootUrl();
            try (ConfigurableApplicationContext app = start(url, "record"))
            {
                final SpringCalculator tools = new SpringCalculator();
                assertEquals(ANSWER, ask(app, tools));
                assertEquals(2, tools.executions.get());
                assertEquals(6, app.getBean(Store.class).branch("boot-1").length());
            }
            assertEquals(2, server.requestCount());
        }
        try (ConfigurableApplicationContext app = start(url, "replay"))
        {
            final SpringCalculator tools = new SpringCalculator();
            assertEquals(ANSWER, ask(app, tools));
            assertEquals(0, tools.executions.get());
        }
    }

    @Test
    void withoutAStoreNothingIsConfigured()
    {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BootAgentApplication.class)
            .web(WebApplicationType.NONE)
            .properties("spring.ai.openai.api-key=test-key", "spring.main.banner-mode=off")
            .run())
        {
            assertTrue(app.getBeansOfType(ForklineAdvisor.class).isEmpty());
            assertTrue(app.getBeansOfType(Store.class).isEmpty());
        }
    }
}
