package dev.forkline.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchInfo;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What every exchange of one proxy shares: its configuration, store, upstream, sessions and log.
 */
final class ProxyContext
{
    final ProxyConfig config;
    final Store store;
    final Upstream upstream;
    final SessionTable sessions;
    final ExchangeLog log;
    final ReplayLanes lanes;

    ProxyContext(final ProxyConfig config, final Upstream upstream)
    {
        this.config = config;
        this.store = config.store;
        this.upstream = upstream;
        this.sessions = new SessionTable(config.maxSessions);
        this.log = new ExchangeLog(config.log, config.jsonLog);
        this.lanes = config.mode == ProxyConfig.Mode.RECORD ? null :
            new ReplayLanes(Math.max(2, Math.min(32, config.maxConcurrentRequests / 8)));
    }

    /**
     * @return a new session, not yet open, that a request may make.
     */
    ProxySession newSession(final String name)
    {
        final long liveFrom = config.mode == ProxyConfig.Mode.FORK ? config.forkStep : Long.MAX_VALUE;
        final ProxySession session = new ProxySession(name, store, config.forkOnDivergence, liveFrom);
        session.lane = lanes == null ? null : lanes.assign();
        return session;
    }

    /**
     * @return the {@code session.start} payload of a session recorded through the proxy.
     */
    String sessionStart(final ModelRequest request)
    {
        final ObjectNode start = ProxyJson.object().put("agent", "forkline-proxy").put("model", request.model);
        final JsonNode tools = request.tools;
        start.set("tools", tools == null || tools.isNull() ? ProxyJson.NODES.arrayNode() : tools);
        start.putObject("tags").put("protocol", request.protocol.name());
        return ProxyJson.write(start);
    }

    /**
     * @return the branches a new replay run may replay, those no other run replays now first.
     */
    List<String> replayCandidates()
    {
        final List<String> all = new ArrayList<>();
        if (config.replayBranches.isEmpty())
        {
            all.addAll(store.sessions());
        }
        else
        {
            all.addAll(config.replayBranches);
        }
        final List<String> free = new ArrayList<>(all.size());
        final List<String> busy = new ArrayList<>();
        for (final String branch : all)
        {
            (sessions.anyReplaying(branch) ? busy : free).add(branch);
        }
        free.addAll(busy);
        return free;
    }

    /**
     * @return the models of the recordings a replay serves, from their {@code session.start} events.
     */
    List<String> recordedModels()
    {
        final TreeSet<String> models = new TreeSet<>();
        for (final String branch : replayCandidates())
        {
            final BranchInfo info = store.branch(branch);
            if (info.length() > 0)
            {
                final Event start = store.event(branch, 0);
                try
                {
                    final String model = ProxyJson.text(ProxyJson.parse(start.payload()), "model");
                    if (model != null)
                    {
                        models.add(model);
                    }
                }
                catch (final IllegalArgumentException ignored)
                {
                    // a session.start that is not JSON names no model
                }
            }
        }
        return new ArrayList<>(models);
    }
}
