package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.ForklineException;
import dev.forkline.kernel.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "fork", mixinStandardHelpOptions = true,
    description = {"Fork a branch at a step: the new branch shares steps 0..STEP-1 and continues from STEP.",
        "Prints the name of the new branch."})
final class ForkCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions options;

    @Parameters(paramLabel = "BRANCH@STEP", description = "Where to fork; STEP from 0 to the branch's length.")
    String target;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, kept in the fork event.")
    String reason;

    @Option(names = "--override", paramLabel = "FILE",
        description = {"A JSON file with the event to put at STEP: {\"kind\":\"tool.result\",\"data\":{...}}",
            "(a line of the events format also does)."})
    Path override;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final StepRef ref = StepRef.parse(target);
        if (!ref.hasStep())
        {
            throw new InputException("fork needs BRANCH@STEP, got '" + target + "'");
        }
        final OverrideEvent event = override == null ? null : readOverride(override);
        try (Store store = options.openExistingForWriting())
        {
            final BranchWriter fork = store.fork(ref.branch(), ref.step(), reason);
            if (event != null)
            {
                fork.append(event.kind, event.data);
            }
            store.commit();
            spec.commandLine().getOut().println(fork.branch());
        }
        return Forkline.EXIT_OK;
    }

    record OverrideEvent(EventKind kind, String data)
    {
    }

    static OverrideEvent readOverride(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new InputException("override file " + file + " does not exist");
        }
        catch (final IOException ex)
        {
            throw new InputException(ForklineException.ioError("cannot read override file " + file, ex).getMessage());
        }
        final JsonNode node;
        try
        {
            node = Json.MAPPER.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            throw new InputException(file + ":" + ex.getLocation().getLineNr() + ": not JSON: " + ex.getOriginalMessage());
        }
        if (node == null || !node.isObject() || !node.hasNonNull("kind") || !node.has("data"))
        {
            throw new InputException(file + ": an override is a JSON object with \"kind\" and \"data\"");
        }
        final EventKind kind;
        try
        {
            kind = EventKind.fromWireName(node.get("kind").asText());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InputException(file + ": " + ex.getMessage());
        }
        if (kind == EventKind.SESSION_START || kind == EventKind.FORK)
        {
            throw new InputException(file + ": an override cannot be a " + kind.wireName() + " event");
        }
        final String data = Json.write(node.get("data"));
        if (data.length() > Store.MAX_PAYLOAD_LENGTH)
        {
            throw new InputException(file + ": data is over the limit of " + Store.MAX_PAYLOAD_LENGTH + " bytes");
        }
        return new OverrideEvent(kind, data);
    }
}
