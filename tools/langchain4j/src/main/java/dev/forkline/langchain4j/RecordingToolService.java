package dev.forkline.langchain4j;

import dev.forkline.kernel.replay.ToolResult;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.langchain4j.service.tool.ToolService;
import dev.langchain4j.service.tool.ToolServiceContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tool service of an AI service built by {@link ForklineSession#aiServices}. Design note: LangChain4j runs
 * every tool, in the blocking loop, in the streaming handler and in guardrail re-prompts alike, through the
 * executors of the {@link ToolServiceContext} this service creates for each invocation; the executors of tools
 * that dynamic providers add later come from those providers. So wrapping the context's executors and its
 * dynamic providers here covers every way a tool runs, whatever registered it. A hallucinated tool name, which
 * has no executor, is recorded too, so its result is served on replay like any other.
 */
final class RecordingToolService extends ToolService
{
    private final ForklineSession session;

    RecordingToolService(final ForklineSession session)
    {
        this.session = session;
    }

    @Override
    public ToolServiceContext createContext(
        final InvocationContext invocationContext, final UserMessage userMessage, final List<ChatMessage> messages)
    {
        if (executor() != null)
        {
            throw new IllegalStateException("Forkline records the tool calls of a turn one after another, in the model's order: " +
                "build the AI service without executeToolsConcurrently()");
        }
        final ToolServiceContext context = super.createContext(invocationContext, userMessage, messages);
        if (context.toolExecutors().isEmpty() && context.dynamicToolProviders().isEmpty())
        {
            return context;
        }
        final Map<String, ToolExecutor> executors = new LinkedHashMap<>();
        context.toolExecutors().forEach((name, executor) -> executors.put(name, RecordingToolExecutor.wrap(session, executor)));
        final List<ToolProvider> providers = new ArrayList<>();
        for (final ToolProvider provider : context.dynamicToolProviders())
        {
            providers.add(recording(provider));
        }
        return context.toBuilder().toolExecutors(executors).dynamicToolProviders(providers).build();
    }

    @Override
    public ToolExecutionResult applyToolHallucinationStrategy(final ToolExecutionRequest request)
    {
        final ToolExecutionResult[] live = new ToolExecutionResult[1];
        final ToolResult result = session.tool(Turns.toolCall(request), call ->
        {
            live[0] = super.applyToolHallucinationStrategy(request);
            final String text = live[0].resultText();
            return new ToolResult(text == null ? "" : text, live[0].isError());
        });
        return live[0] != null ? live[0] : ToolExecutionResult.builder().resultText(result.content()).isError(result.error()).build();
    }

    private ToolProvider recording(final ToolProvider provider)
    {
        return new ToolProvider()
        {
            @Override
            public ToolProviderResult provideTools(final dev.langchain4j.service.tool.ToolProviderRequest request)
            {
                final ToolProviderResult result = provider.provideTools(request);
                if (result == null)
                {
                    return null;
                }
                final ToolProviderResult.Builder out = ToolProviderResult.builder();
                for (final AiServiceTool tool : result.aiServiceTools())
                {
                    out.add(tool.toBuilder().toolExecutor(RecordingToolExecutor.wrap(session, tool.toolExecutor())).build());
                }
                return out.build();
            }

            @Override
            public boolean isDynamic()
            {
                return true;
            }
        };
    }
}
