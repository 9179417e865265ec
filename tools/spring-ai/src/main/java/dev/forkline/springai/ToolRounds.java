package dev.forkline.springai;

import dev.forkline.kernel.replay.ModelTurn;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tool loop of one {@code ChatClient} call, run by {@link ForklineAdvisor} instead of inside the chat model,
 * so that every round is a model call of its own through the session: the round's request goes to the rest of
 * the advisor chain (and so to the model) with the model's own tool execution turned off; when the response asks
 * for tools, Spring AI's {@link ToolCallingManager} runs them with every callback wrapped in a
 * {@link RecordingToolCallback}, and the next round starts from the conversation it returns. This is the loop of
 * Spring AI's {@code ToolCallAdvisor}, for streams as well as calls.
 * <p>
 * Threads of a stream: a round served from a recording runs on the thread that subscribed, and so does the next
 * one, because a replay reads its journal from one thread; a live round's tools run on a bounded-elastic thread
 * once the model's stream is complete.
 */
final class ToolRounds
{
    private final ToolCallingManager manager;
    private final ToolCallbackResolver resolver;

    ToolRounds(final ToolCallingManager manager, final ToolCallbackResolver resolver)
    {
        this.manager = manager;
        this.resolver = resolver;
    }

    ChatClientResponse call(final ForklineSession session, final ChatClientRequest request, final Supplier<CallAdvisorChain> next)
    {
        final ChatOptions options = withoutInternalToolExecution(request.prompt().getOptions());
        List<Message> instructions = request.prompt().getInstructions();
        while (true)
        {
            final Prompt round = new Prompt(instructions, options);
            final ChatClientRequest roundRequest = request.mutate().prompt(round).build();
            final ChatResponse[] live = new ChatResponse[1];
            final ModelTurn turn = session.model(SpringRequestJson.of(round), ignored ->
            {
                live[0] = next.get().nextCall(roundRequest).chatResponse();
                return SpringTurns.toTurn(live[0]);
            });
            final ChatResponse response = live[0] != null ? live[0] : SpringTurns.toResponse(turn);
            if (!turn.hasToolCalls() || !(options instanceof ToolCallingChatOptions))
            {
                return ChatClientResponse.builder().chatResponse(response).context(request.context()).build();
            }
            final ToolExecutionResult tools = runTools(session, round, response, turn);
            if (tools.returnDirect())
            {
                return ChatClientResponse.builder().chatResponse(direct(response, tools)).context(request.context()).build();
            }
            instructions = tools.conversationHistory();
        }
    }

    Flux<ChatClientResponse> stream(final ForklineSession session, final ChatClientRequest request, final Supplier<StreamAdvisorChain> next)
    {
        return round(session, request, withoutInternalToolExecution(request.prompt().getOptions()), request.prompt().getInstructions(), next);
    }

    private Flux<ChatClientResponse> round(final ForklineSession session, final ChatClientRequest request, final ChatOptions options,
        final List<Message> instructions, final Supplier<StreamAdvisorChain> next)
    {
        return Flux.defer(() ->
        {
            final Prompt round = new Prompt(instructions, options);
            final ChatClientRequest roundRequest = request.mutate().prompt(round).build();
            final String json = SpringRequestJson.of(round);
            if (session.isLive())
            {
                final List<ChatResponse> chunks = Collections.synchronizedList(new ArrayList<>());
                return next.get().nextStream(roundRequest)
                    .doOnNext(chunk -> chunks.add(chunk.chatResponse()))
                    .filter(chunk -> chunk.chatResponse() == null || !chunk.chatResponse().hasToolCalls())
                    .concatWith(Flux.defer(() ->
                    {
                        final ChatResponse whole = SpringTurns.join(chunks);
                        final ModelTurn turn = session.model(json, ignored -> SpringTurns.toTurn(whole));
                        return afterRound(session, request, options, round, whole, turn, next);
                    }).subscribeOn(Schedulers.boundedElastic()));
            }
            final ChatResponse[] live = new ChatResponse[1];
            final ModelTurn turn = session.model(json, ignored ->
            {
                final List<ChatResponse> chunks = next.get().nextStream(roundRequest).map(ChatClientResponse::chatResponse).collectList().block();
                live[0] = SpringTurns.join(chunks == null ? List.of() : chunks);
                return SpringTurns.toTurn(live[0]);
            });
            final List<ChatResponse> served = live[0] != null ? List.of(live[0]) : SpringTurns.chunks(turn);
            final ChatResponse response = live[0] != null ? live[0] : SpringTurns.toResponse(turn);
            final Flux<ChatClientResponse> text = Flux.fromIterable(served)
                .filter(chunk -> !chunk.hasToolCalls())
                .map(chunk -> ChatClientResponse.builder().chatResponse(chunk).context(request.context()).build());
            return text.concatWith(Flux.defer(() -> afterRound(session, request, options, round, response, turn, next)));
        });
    }

    private Flux<ChatClientResponse> afterRound(final ForklineSession session, final ChatClientRequest request, final ChatOptions options,
        final Prompt round, final ChatResponse response, final ModelTurn turn, final Supplier<StreamAdvisorChain> next)
    {
        if (!turn.hasToolCalls() || !(options instanceof ToolCallingChatOptions))
        {
            return Flux.empty();
        }
        final ToolExecutionResult tools = runTools(session, round, response, turn);
        if (tools.returnDirect())
        {
            return Flux.just(ChatClientResponse.builder().chatResponse(direct(response, tools)).context(request.context()).build());
        }
        return round(session, request, options, tools.conversationHistory(), next);
    }

    private ToolExecutionResult runTools(final ForklineSession session, final Prompt round, final ChatResponse response, final ModelTurn turn)
    {
        final ToolCallingChatOptions options = (ToolCallingChatOptions)round.getOptions().copy();
        final List<ToolCallback> callbacks = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final ToolCallback callback : options.getToolCallbacks())
        {
            callbacks.add(new RecordingToolCallback(session, callback));
            names.add(callback.getToolDefinition().name());
        }
        for (final String name : options.getToolNames())
        {
            final ToolCallback resolved = names.contains(name) || resolver == null ? null : resolver.resolve(name);
            if (resolved != null)
            {
                callbacks.add(new RecordingToolCallback(session, resolved));
            }
        }
        options.setToolCallbacks(callbacks);
        session.expectToolCalls(turn.toolCalls());
        final ToolExecutionResult result = manager.executeToolCalls(new Prompt(round.getInstructions(), options), response);
        session.checkToolCallsRecorded();
        return result;
    }

    private static ChatResponse direct(final ChatResponse response, final ToolExecutionResult tools)
    {
        return ChatResponse.builder().from(response).generations(ToolExecutionResult.buildGenerations(tools)).build();
    }

    private static ChatOptions withoutInternalToolExecution(final ChatOptions options)
    {
        if (options instanceof ToolCallingChatOptions toolOptions)
        {
            final ToolCallingChatOptions copy = (ToolCallingChatOptions)toolOptions.copy();
            copy.setInternalToolExecutionEnabled(false);
            return copy;
        }
        return options;
    }
}
