package dev.forkline.proxy;

import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.StepOverride;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A proxy on its own store for one step of a test: record, replay or fork. Closing it ends the proxy's
 * sessions and closes the store, as the command does.
 */
final class ProxyRun implements AutoCloseable
{
    final Store store;
    final ForklineProxy proxy;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private ProxyRun(final Store store, final ProxyConfig config)
    {
        this.store = store;
        this.proxy = ForklineProxy.start(config.listen("127.0.0.1", 0).exchangeLog(log::add, true));
    }

    static ProxyRun record(final Path dir, final String upstream)
    {
        final Store store = Store.open(dir);
        return new ProxyRun(store, new ProxyConfig(store).record(URI.create(upstream)));
    }

    static ProxyRun replay(final Path dir, final String... branches)
    {
        final Store store = Store.openReadOnly(dir);
        return new ProxyRun(store, new ProxyConfig(store).replay(List.of(branches)));
    }

    static ProxyRun replayForking(final Path dir, final String upstream)
    {
        final Store store = Store.open(dir);
        return new ProxyRun(store, new ProxyConfig(store).replay(List.of()).forkOnDivergence(URI.create(upstream)));
    }

    static ProxyRun fork(final Path dir, final String branch, final long step, final StepOverride override, final String upstream)
    {
        final Store store = Store.open(dir);
        return new ProxyRun(store, new ProxyConfig(store).fork(branch, step, override, URI.create(upstream)));
    }

    String openAiBase()
    {
        return proxy.address() + "/v1";
    }

    String anthropicBase()
    {
        return proxy.address().toString();
    }

    /**
     * @return "kind payload" for every event of {@code branch}.
     */
    static List<String> events(final Store store, final String branch)
    {
        final List<String> out = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                out.add(cursor.event().kind().wireName() + " " + cursor.event().payloadAsString());
            }
        }
        return out;
    }

    static List<String> kinds(final Store store, final String branch)
    {
        final List<String> out = new ArrayList<>();
        for (final String event : events(store, branch))
        {
            out.add(event.substring(0, event.indexOf(' ')));
        }
        return out;
    }

    @Override
    public void close()
    {
        proxy.close();
        store.close();
    }
}
