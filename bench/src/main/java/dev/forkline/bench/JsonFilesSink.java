package dev.forkline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One JSON file per event, a directory per session, the way some agent frameworks keep event streams. Each
 * file is written and closed by {@code append}, so it is in the page cache when {@code append} returns.
 */
final class JsonFilesSink implements Sink
{
    private final Path directory;
    private final ObjectWriter objectWriter = new ObjectMapper().writerFor(JsonLineEvent.class);

    JsonFilesSink(final Path directory)
    {
        this.directory = directory;
    }

    @Override
    public SinkWriter writer(final String session)
    {
        final Path sessionDir = directory.resolve(session);
        try
        {
            Files.createDirectories(sessionDir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return new SinkWriter()
        {
            private final JsonLineEvent event = new JsonLineEvent();
            private long step;

            @Override
            public void append(final byte[] json, final String text)
            {
                event.session = session;
                event.branch = session;
                event.step = step;
                event.kind = "user";
                event.ts = System.currentTimeMillis() * 1_000_000L;
                event.data = text;
                try
                {
                    objectWriter.writeValue(sessionDir.resolve(step + ".json").toFile(), event);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                step++;
            }

            @Override
            public void commit()
            {
                // every file is closed by append already
            }
        };
    }

    @Override
    public void close()
    {
    }
}
