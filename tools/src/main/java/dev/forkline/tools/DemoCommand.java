package dev.forkline.tools;

import dev.forkline.kernel.EventCursor;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.EventView;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.agent.ReferenceAgent;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolResult;
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
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Record, fork, replay, draw and export a session of the kernel's reference agent.",
        "The agent reads two notes files (written to " + DemoNotes.DIRECTORY + "/ next to the store) and works out",
        "their arithmetic. The fork replays the session up to the list_files result, overrides it so that one",
        "file is missing, and runs the agent on live from there."})
final class DemoCommand implements Callable<Integer>
{
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
        final Path storeDirectory = options.directory().toAbsolutePath();
        final Path workDirectory = storeDirectory.resolveSibling(DemoNotes.DIRECTORY);
        DemoNotes.write(workDirectory);
        out.println(Terminal.escape("1. wrote the agent's notes files " + DemoNotes.GROCERIES + " and " + DemoNotes.RENT + " to " +
            workDirectory));

        final String session = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        final String fork;
        try (Store store = options.openForWriting())
        {
            final ReferenceAgent agent = new ReferenceAgent(workDirectory);
            final String answer;
            try (Recorder recorder = Recorder.live(store.startSession(session, agent.sessionStart())))
            {
                answer = agent.run(recorder, DemoNotes.TASK);
            }
            final int liveCalls = agent.liveCalls();
            final String grade = grade(store, session, answer);
            out.println("2. recorded session " + session + " live (" + store.branch(session).length() + " steps, " +
                liveCalls + " model and tool calls): \"" + answer + "\" " + grade);

            final long listing = stepOfListing(store, session);
            final ReferenceAgent forked = new ReferenceAgent(workDirectory);
            final String forkAnswer;
            try (Recorder recorder = Recorder.replayThenLive(store, session, listing,
                StepOverride.toolResult(new ToolResult(DemoNotes.GROCERIES + "\n", false))))
            {
                forkAnswer = forked.run(recorder, DemoNotes.TASK);
                fork = recorder.branch();
            }
            out.println("3. forked " + session + "@" + listing + " as " + fork + ": replayed steps 1.." + (listing - 1) +
                ", gave list_files the result \"" + DemoNotes.GROCERIES + "\" (" + DemoNotes.RENT + " missing), went on live (" +
                forked.liveCalls() + " calls): \"" + forkAnswer + "\" " + grade(store, fork, forkAnswer));

            final ReferenceAgent replayed = new ReferenceAgent(workDirectory);
            final String replayAnswer;
            try (Recorder recorder = Recorder.replay(store, session, DivergencePolicy.FAIL))
            {
                replayAnswer = replayed.run(recorder, DemoNotes.TASK);
            }
            if (!replayAnswer.equals(answer) || replayed.liveCalls() != 0)
            {
                throw new IllegalStateException("replay of " + session + " answered \"" + replayAnswer + "\" with " +
                    replayed.liveCalls() + " live calls; recorded \"" + answer + "\"");
            }
            out.println("4. replayed " + session + " with a new agent: the same answer, " + replayed.liveCalls() + " of " +
                liveCalls + " model and tool calls made (the recording served them all)");
        }

        out.println("5. the fork tree:");
        final CommandLine tree = new CommandLine(new TreeCommand());
        tree.setOut(out);
        tree.execute("--store", storeDirectory.toString(), session);

        final Path chat = output.toAbsolutePath().resolveSibling(chatFileName(output));
        try (Store store = options.openReadOnly();
            OutputStream eventsFile = Files.newOutputStream(output);
            OutputStream chatFile = Files.newOutputStream(chat))
        {
            final ExportSummary events = new Exporter(store, new ExportOptions().format(ExportFormat.EVENTS).session(session))
                .export(eventsFile);
            final ExportSummary examples = new Exporter(store, new ExportOptions().format(ExportFormat.OPENAI_CHAT).session(session))
                .export(chatFile);
            out.println(Terminal.escape("6. exported " + events.examples() + " events to " + output.toAbsolutePath() + " and " +
                examples.examples() + " training examples (openai-chat, one a branch) to " + chat));
        }
        out.println(Terminal.escape("store: " + storeDirectory));
        out.println(Terminal.escape("next: forkline show " + fork + " --store " + options.directory() + "; forkline diff " +
            session + " " + fork + " --store " + options.directory()));
        return Forkline.EXIT_OK;
    }

    /**
     * Grades an answer and attaches the grade to the branch as its {@code outcome}.
     *
     * @return the grade as {@code forkline ls} shows it.
     */
    private static String grade(final Store store, final String branch, final String answer)
    {
        final var outcome = DemoNotes.grade(answer);
        store.writer(branch).append(EventKind.OUTCOME, Json.write(outcome));
        return "→ " + EventText.outcome(outcome);
    }

    /**
     * @return the step of the first {@code list_files} result of the branch.
     */
    private static long stepOfListing(final Store store, final String branch)
    {
        store.commit();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                final EventView event = cursor.event();
                if (event.kind() == EventKind.TOOL_RESULT && "list_files".equals(Json.text(Json.parseOrNull(event.payloadAsString()), "name")))
                {
                    return event.step();
                }
            }
        }
        throw new IllegalStateException("the agent listed no files in " + branch);
    }

    private static String chatFileName(final Path output)
    {
        final String name = output.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + "-chat.jsonl";
    }
}
