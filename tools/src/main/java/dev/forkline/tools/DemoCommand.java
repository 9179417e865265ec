package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.BranchWriter;
import dev.forkline.kernel.Event;
import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.forkline.kernel.export.ExportFormat;
import dev.forkline.kernel.export.ExportOptions;
import dev.forkline.kernel.export.ExportSummary;
import dev.forkline.kernel.export.Exporter;

import java.io.OutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Record, fork, replay, draw and export a session of the reference agent.",
        "The fork puts a different tool result at one step and runs the agent on live from there."})
final class DemoCommand implements Callable<Integer>
{
    static final String REFUND_INVOICE = ReferenceAgent.INVOICE_TEXT + "refund -1 x 10.00\n";

    @Mixin
    CommonOptions options;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "forkline-demo.jsonl",
        description = "Where to export the session (default ${DEFAULT-VALUE}).")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final String session = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        final String fork;
        try (Store store = options.openForWriting())
        {
            final BranchWriter root = store.startSession(session,
                "{\"agent\":\"reference-agent\",\"model\":\"reference-agent-1\",\"tools\":[\"read_invoice\",\"calculator\"],\"tags\":{\"demo\":true}}");
            root.append(EventKind.SYSTEM, Json.write(Json.object().put("content", ReferenceAgent.SYSTEM_PROMPT)));
            root.append(EventKind.USER, Json.write(Json.object().put("content", ReferenceAgent.TASK)));
            runLive(store, root);
            out.println("1. recorded session " + session + " (" + store.branch(session).length() + " steps): " +
                answer(store, session));

            final long toolStep = 4; // session.start, system, user, model.response, then read_invoice's result
            final Event original = store.event(session, toolStep);
            final ObjectNode changed = (ObjectNode)Json.parseOrNull(original.payloadAsString());
            changed.put("content", REFUND_INVOICE);
            final BranchWriter branch = store.fork(session, toolStep, "what if the invoice had a refund line?");
            branch.append(EventKind.TOOL_RESULT, Json.write(changed));
            runLive(store, branch);
            fork = branch.branch();
            out.println("2. forked " + session + "@" + toolStep + " as " + fork + " with a refund line in the invoice: " +
                answer(store, fork));

            final int checked = replay(store, session);
            out.println("3. replayed " + session + ": " + checked + " model responses matched the recording, " +
                "no tool was called");
        }

        out.println("4. the fork tree:");
        final CommandLine tree = new CommandLine(new TreeCommand());
        tree.setOut(out);
        tree.execute("--store", options.directory().toString(), session);

        try (Store store = options.openReadOnly(); OutputStream file = Files.newOutputStream(output))
        {
            final ExportSummary summary = new Exporter(store, new ExportOptions().format(ExportFormat.EVENTS).session(session))
                .export(file);
            out.println("5. exported " + summary.examples() + " events to " + output.toAbsolutePath());
        }
        out.println("store: " + options.directory().toAbsolutePath());
        out.println("next: forkline show " + fork + " --store " + options.directory() + "; forkline diff " + session + " " +
            fork + " --store " + options.directory());
        return Forkline.EXIT_OK;
    }

    /**
     * Runs the agent live from the end of the branch until it answers, then grades and ends the branch.
     */
    private static void runLive(final Store store, final BranchWriter writer)
    {
        while (true)
        {
            final List<Event> history = history(store, writer.branch());
            final ObjectNode response = ReferenceAgent.respond(history);
            writer.append(EventKind.MODEL_RESPONSE, Json.write(response));
            final JsonNode calls = response.path("tool_calls");
            if (calls.isEmpty())
            {
                break;
            }
            for (final JsonNode call : calls)
            {
                writer.append(EventKind.TOOL_RESULT, Json.write(ReferenceAgent.runTool(call)));
            }
        }
        writer.append(EventKind.OUTCOME, Json.write(ReferenceAgent.grade(history(store, writer.branch()))));
        writer.end("done");
    }

    /**
     * Runs the agent again over a recorded branch: at each model response it must decide what it decided
     * then, given the recorded events before it; tool results come from the recording.
     *
     * @return the number of model responses checked.
     */
    static int replay(final Store store, final String branch)
    {
        final List<Event> recorded = history(store, branch);
        int checked = 0;
        for (int step = 0; step < recorded.size(); step++)
        {
            final Event event = recorded.get(step);
            if (event.kind() == EventKind.MODEL_RESPONSE)
            {
                final String again = Json.write(ReferenceAgent.respond(recorded.subList(0, step)));
                if (!again.equals(event.payloadAsString()))
                {
                    throw new IllegalStateException("replay of " + branch + " diverged at step " + step + ": recorded " +
                        EventText.shorten(event.payloadAsString()) + ", got " + EventText.shorten(again));
                }
                checked++;
            }
        }
        return checked;
    }

    private static List<Event> history(final Store store, final String branch)
    {
        store.commit();
        final List<Event> events = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                events.add(cursor.event().toEvent());
            }
        }
        return events;
    }

    private static String answer(final Store store, final String branch)
    {
        return "\"" + EventText.excerpt(EventKind.OUTCOME, store.branch(branch).outcome()) + "\"";
    }
}
