package dev.forkline.bench;

import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.Durability;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.StoreOptions;

import java.nio.file.Path;

/**
 * Forkline, each thread recording its own session; {@code commit} waits until the journal thread has written
 * everything before it (and, with {@link Durability#SYNC}, forced it to disk).
 */
final class ForklineSink implements Sink
{
    private final Store store;

    ForklineSink(final Path directory, final Durability durability)
    {
        this.store = Store.open(directory, new StoreOptions().durability(durability));
    }

    Store store()
    {
        return store;
    }

    @Override
    public SinkWriter writer(final String session)
    {
        final BranchWriter writer = store.startSession(session, (String)null);
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
