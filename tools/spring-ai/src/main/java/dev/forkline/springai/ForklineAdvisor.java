package dev.forkline.springai;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergencePolicy;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.DefaultAroundAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.BaseAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

import java.util.List;

/**
 * A {@code ChatClient} advisor that records, replays or forks every round of the tool loop and every tool
 * callback, for {@code call()} and {@code stream()} alike.
 * <p>
 * Design note: in Spring AI 1.1 the tool loop runs inside the chat model ({@code OpenAiChatModel} calls its
 * {@code ToolCallingManager} and then itself again), so an advisor around the model sees one request and the
 * final answer only. This advisor therefore runs the loop itself, as Spring AI's {@code ToolCallAdvisor} does for
 * calls: it turns the model's internal tool execution off, sends each round on down the chain to the model, and
 * runs the tools through the {@link ToolCallingManager} with recording callbacks. It sits just before the model
 * ({@link #ORDER}), so each recorded round is what the model was sent, and advisors before it (chat memory, say)
 * see the call once, as without it.
 * <p>
 * Which session a call goes to: the {@link ForklineSession} given as the advisor parameter {@link #SESSION}; or,
 * when that parameter is a session id or absent, a session opened for the call as the {@link ForklineMode} says
 * and ended ({@code session.end "done"}) and closed when the call completes.
 * <pre>{@code
 * ChatClient chat = ChatClient.builder(chatModel)
 *     .defaultAdvisors(ForklineAdvisor.builder(store).mode(ForklineMode.RECORD).build())
 *     .build();
 * chat.prompt("What is 2 + 3?").tools(new Calculator())
 *     .advisors(a -> a.param(ForklineAdvisor.SESSION, "task-42")).call().content();
 * }</pre>
 */
public final class ForklineAdvisor implements CallAdvisor, StreamAdvisor
{
    /** The advisor parameter naming a call's session: a {@link ForklineSession}, or a session id. */
    public static final String SESSION = "forkline.session";

    /** Just before the model, after every advisor of Spring AI's own. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

    private final Store store;
    private final ForklineMode mode;
    private final DivergencePolicy policy;
    private final ToolRounds rounds;

    private ForklineAdvisor(final Builder builder)
    {
        this.store = builder.store;
        this.mode = builder.mode;
        this.policy = builder.policy;
        this.rounds = new ToolRounds(builder.manager != null ? builder.manager : ToolCallingManager.builder().build(), builder.resolver);
    }

    /**
     * @param store where calls without a session of their own are recorded or replayed from; may be null when
     *              every call brings its {@link ForklineSession}.
     */
    public static Builder builder(final Store store)
    {
        return new Builder(store);
    }

    @Override
    public String getName()
    {
        return "ForklineAdvisor";
    }

    @Override
    public int getOrder()
    {
        return ORDER;
    }

    @Override
    public ChatClientResponse adviseCall(final ChatClientRequest request, final CallAdvisorChain chain)
    {
        final Opened opened = open(request);
        if (opened == null)
        {
            return chain.nextCall(request);
        }
        try
        {
            final ChatClientResponse response = rounds.call(opened.session, request, () -> chain.copy(this));
            opened.completed();
            return response;
        }
        finally
        {
            opened.release();
        }
    }

    @Override
    public Flux<ChatClientResponse> adviseStream(final ChatClientRequest request, final StreamAdvisorChain chain)
    {
        if (!(request.context().get(SESSION) instanceof ForklineSession) && mode == ForklineMode.OFF)
        {
            return chain.nextStream(request);
        }
        // opened on subscription: a replay must be read on the thread that runs its rounds
        return Flux.using(() -> open(request),
            opened -> rounds.stream(opened.session, request, () -> rest(chain)).doOnComplete(opened::completed),
            Opened::release);
    }

    /**
     * The advisors after this one, as a new chain: a stream chain, unlike a call chain, has no copy of its own.
     */
    private StreamAdvisorChain rest(final StreamAdvisorChain chain)
    {
        if (!(chain instanceof BaseAdvisorChain base))
        {
            throw new IllegalStateException("ForklineAdvisor streams need Spring AI's advisor chain, not " + chain.getClass().getName());
        }
        final List<StreamAdvisor> all = base.getStreamAdvisors();
        final int index = all.indexOf(this);
        return DefaultAroundAdvisorChain.builder(base.getObservationRegistry()).pushAll(all.subList(index + 1, all.size())).build();
    }

    private Opened open(final ChatClientRequest request)
    {
        final Object given = request.context().get(SESSION);
        if (given instanceof ForklineSession session)
        {
            return new Opened(session, false);
        }
        if (given != null && !(given instanceof String))
        {
            throw new IllegalArgumentException("advisor parameter " + SESSION + " must be a ForklineSession or a session id, not " +
                given.getClass().getName());
        }
        if (mode == ForklineMode.OFF)
        {
            return null;
        }
        if (store == null)
        {
            throw new IllegalStateException("ForklineAdvisor has no store: give each call a ForklineSession as the parameter " + SESSION);
        }
        final String id = (String)given;
        if (mode == ForklineMode.REPLAY)
        {
            if (id == null)
            {
                throw new IllegalArgumentException("forkline.mode=replay needs the session to replay: " +
                    ".advisors(a -> a.param(ForklineAdvisor.SESSION, \"<session id>\"))");
            }
            return new Opened(ForklineSession.replay(store, id, policy), true);
        }
        return new Opened(ForklineSession.record(store, id), true);
    }

    /**
     * A call's session, and whether the advisor opened it (then it ends and closes it with the call).
     */
    private static final class Opened
    {
        final ForklineSession session;
        final boolean owned;
        private boolean completed;

        Opened(final ForklineSession session, final boolean owned)
        {
            this.session = session;
            this.owned = owned;
        }

        void completed()
        {
            if (owned && !completed)
            {
                completed = true;
                session.end("done");
            }
        }

        void release()
        {
            if (owned)
            {
                session.close();
            }
        }
    }

    /**
     * Builds a {@link ForklineAdvisor}.
     */
    public static final class Builder
    {
        private final Store store;
        private ForklineMode mode = ForklineMode.RECORD;
        private DivergencePolicy policy = DivergencePolicy.FAIL;
        private ToolCallingManager manager;
        private ToolCallbackResolver resolver;

        private Builder(final Store store)
        {
            this.store = store;
        }

        /**
         * @param mode what calls without a session of their own do; default {@link ForklineMode#RECORD}.
         */
        public Builder mode(final ForklineMode mode)
        {
            this.mode = require(mode, "mode");
            return this;
        }

        /**
         * @param policy what a replay does at a divergence; default {@link DivergencePolicy#FAIL}.
         */
        public Builder divergence(final DivergencePolicy policy)
        {
            this.policy = require(policy, "policy");
            return this;
        }

        /**
         * @param manager runs the tools of each round; default {@code ToolCallingManager.builder().build()}.
         */
        public Builder toolCallingManager(final ToolCallingManager manager)
        {
            this.manager = require(manager, "manager");
            return this;
        }

        /**
         * @param resolver resolves tools given by name only, so that they are recorded too.
         */
        public Builder toolCallbackResolver(final ToolCallbackResolver resolver)
        {
            this.resolver = resolver;
            return this;
        }

        /**
         * @return the advisor.
         */
        public ForklineAdvisor build()
        {
            return new ForklineAdvisor(this);
        }

        private static <T> T require(final T value, final String name)
        {
            if (value == null)
            {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }
    }
}
