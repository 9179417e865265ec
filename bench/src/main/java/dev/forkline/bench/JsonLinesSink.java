package dev.forkline.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Jackson JSON lines through a {@link BufferedWriter}, the way many agent frameworks write trajectories: one
 * line per event into one file. The buffer is flushed to the operating system on {@code commit} (or when it is
 * full), which gives the same durability as Forkline's {@code OS_CACHE}; with {@code fsync}, the commit also
 * forces the file to disk, like {@code SYNC}.
 * <p>
 * Threads share the file under a lock, as they would share a trajectory log.
 */
final class JsonLinesSink implements Sink
{
    private final FileOutputStream file;
    private final BufferedWriter out;
    private final boolean fsync;
    private final JsonGenerator generator;
    private final ObjectWriter objectWriter;
    private final JsonLineEvent event = new JsonLineEvent();

    JsonLinesSink(final Path directory, final boolean fsync)
    {
        this.fsync = fsync;
        try
        {
            file = new FileOutputStream(directory.resolve("events.jsonl").toFile());
            out = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8));
            final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
            generator = mapper.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            objectWriter = mapper.writerFor(JsonLineEvent.class);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public SinkWriter writer(final String session)
    {
        return new SinkWriter()
        {
            private long step;

            @Override
            public void append(final byte[] json, final String text)
            {
                write(session, step++, text);
            }

            @Override
            public void commit()
            {
                flush();
            }
        };
    }

    private synchronized void write(final String session, final long step, final String text)
    {
        event.session = session;
        event.branch = session;
        event.step = step;
        event.kind = "user";
        event.ts = System.currentTimeMillis() * 1_000_000L;
        event.data = text;
        try
        {
            objectWriter.writeValue(generator, event);
            generator.writeRaw('\n');
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private synchronized void flush()
    {
        try
        {
            generator.flush();
            if (fsync)
            {
                file.getFD().sync();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public synchronized void close()
    {
        try
        {
            generator.close();
            out.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
