package dev.forkline.bench;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * A raw Chronicle Queue, configured like Forkline's journal, each thread appending the payload bytes straight
 * from its own appender: no envelope, no checksum, no index. What Forkline adds is measured against it.
 */
final class ChronicleSink implements Sink
{
    static
    {
        System.setProperty("chronicle.analytics.disable", "true");
    }

    private final SingleChronicleQueue queue;

    ChronicleSink(final Path directory)
    {
        this.queue = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).build();
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    @Override
    public SinkWriter writer(final String session)
    {
        final ExcerptAppender appender = queue.createAppender();
        return new SinkWriter()
        {
            @Override
            public void append(final byte[] json, final String text)
            {
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().write(json);
                }
            }

            @Override
            public void commit()
            {
                // written into the memory-mapped file by append already
            }
        };
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
