package dev.forkline.bench;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;

import java.nio.file.Path;

/**
 * Forkline with default options: each thread records its own session; {@code commit} waits until the journal
 * thread has written everything before it.
 */
final class ForklineSink implements Sink
{
    private final Store store;

    ForklineSink(final Path directory)
    {
        this.store = Store.open(directory);
    }

    Store store()
    {
        return store;
    }

    @Override
    public SinkWriter writer(final String session)
    {
        final BranchWriter writer = store.startSession(session, null);
        return new SinkWriter()
        {
            @Override
            public void append(final byte[] json, final String text)
            {
                writer.append(EventKind.USER, json);
            }

            @Override
            public void commit()
            {
                writer.commit();
            }
        };
    }

    @Override
    public void close()
    {
        store.close();
    }
}
