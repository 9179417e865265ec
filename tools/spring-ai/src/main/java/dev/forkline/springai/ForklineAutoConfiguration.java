package dev.forkline.springai;

import dev.forkline.kernel.Store;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.nio.file.Path;

/**
 * With {@code forkline.store} set, opens that store and adds a {@link ForklineAdvisor} to every {@code ChatClient}
 * the application builds from Boot's {@code ChatClient.Builder}; {@code forkline.mode} ({@code record},
 * {@code replay}, {@code off}) and {@code forkline.divergence} ({@code fail}, {@code fork}) set what it does. The
 * advisor runs the tools with the application's {@link ToolCallingManager} and resolves tools given by name with
 * its {@link ToolCallbackResolver}, when there are such beans.
 */
@AutoConfiguration(afterName = "org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration")
@ConditionalOnClass(ChatClient.class)
@ConditionalOnProperty(prefix = "forkline", name = "store")
@EnableConfigurationProperties(ForklineProperties.class)
public class ForklineAutoConfiguration
{
    /**
     * @return the store, closed with the application context.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Store forklineStore(final ForklineProperties properties)
    {
        return Store.open(Path.of(properties.getStore()));
    }

    /**
     * @return the advisor every {@code ChatClient} gets.
     */
    @Bean
    @ConditionalOnMissingBean
    public ForklineAdvisor forklineAdvisor(final Store store, final ForklineProperties properties,
        final ObjectProvider<ToolCallingManager> manager, final ObjectProvider<ToolCallbackResolver> resolver)
    {
        final ForklineAdvisor.Builder builder = ForklineAdvisor.builder(store).mode(properties.getMode()).divergence(properties.getDivergence());
        manager.ifAvailable(builder::toolCallingManager);
        resolver.ifAvailable(builder::toolCallbackResolver);
        return builder.build();
    }

    /**
     * @return adds the advisor to every {@code ChatClient.Builder} Boot makes.
     */
    @Bean
    public ChatClientCustomizer forklineChatClientCustomizer(final ForklineAdvisor advisor)
    {
        return builder -> builder.defaultAdvisors(advisor);
    }
}
