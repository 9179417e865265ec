package dev.forkline.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.JournalCursor;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Count events, bytes, sessions, branches and events per kind.")
final class StatsCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions options;

    @Option(names = "--json", description = "One JSON document for machines.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final long[] perKind = new long[EventKind.values().length];
        long events = 0;
        long payloadBytes = 0;
        long damaged = 0;
        long sessions = 0;
        long branches = 0;
        final long diskBytes;
        try (Store store = options.openReadOnly())
        {
            try (JournalCursor cursor = store.readJournal())
            {
                while (cursor.next())
                {
                    if (cursor.problem() != null)
                    {
                        damaged++;
                        continue;
                    }
                    events++;
                    payloadBytes += cursor.event().payloadLength();
                    perKind[cursor.event().kind().ordinal()]++;
                }
            }
            for (final String session : store.sessions())
            {
                sessions++;
                branches += store.tree(session).size();
            }
            diskBytes = diskBytes(store.directory());
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            final ObjectNode node = Json.object().put("events", events).put("payload_bytes", payloadBytes)
                .put("disk_bytes", diskBytes).put("sessions", sessions).put("branches", branches).put("damaged", damaged);
            final ObjectNode kinds = node.putObject("kinds");
            for (final EventKind kind : EventKind.values())
            {
                kinds.put(kind.wireName(), perKind[kind.ordinal()]);
            }
            out.println(Json.write(node));
            return Forkline.EXIT_OK;
        }
        out.printf("events         %d%n", events);
        out.printf("payload bytes  %d%n", payloadBytes);
        out.printf("bytes on disk  %d%n", diskBytes);
        out.printf("sessions       %d%n", sessions);
        out.printf("branches       %d%n", branches);
        if (damaged > 0)
        {
            out.printf("damaged        %d (run forkline verify)%n", damaged);
        }
        out.println("events per kind:");
        for (final EventKind kind : EventKind.values())
        {
            if (perKind[kind.ordinal()] > 0)
            {
                out.printf("  %-15s %d%n", kind.wireName(), perKind[kind.ordinal()]);
            }
        }
        return Forkline.EXIT_OK;
    }

    private static long diskBytes(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.filter(Files::isRegularFile).mapToLong(file ->
            {
                try
                {
                    return Files.size(file);
                }
                catch (final IOException ex)
                {
                    return 0; // a roll-cycle file removed while we walk
                }
            }).sum();
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return -1;
        }
    }
}
