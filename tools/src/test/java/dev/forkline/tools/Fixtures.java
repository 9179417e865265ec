package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The trajectories the import tests read.
 * <ul>
 * <li>The project's own, small and written for its tests, in {@code src/test/resources/fixtures/<format>/}: they
 * reproduce the shapes and quirks of the files agent projects write (see the README.md there).</li>
 * <li>Real ones recorded by other projects, in a {@code shared/fixtures} folder beside the clone (or beside a folder
 * above it), or where {@code -Dforkline.fixtures} says: only on the machines of the project's developers, so the
 * tests of them are skipped, with the reason, where the folder is not.</li>
 * </ul>
 */
final class Fixtures
{
    /** The project's fixtures. */
    static final Path PROJECT = resource("/fixtures");

    private Fixtures()
    {
    }

    /**
     * @return one of the project's fixtures, e.g. {@code project("swe-agent", "oldest.traj")}.
     */
    static Path project(final String format, final String file)
    {
        final Path path = PROJECT.resolve(format).resolve(file);
        assertTrue(Files.isRegularFile(path), "no fixture " + path);
        return path;
    }

    /**
     * @return the folder of real trajectories; the calling test is skipped, naming the places looked at, when
     * there is none.
     */
    static Path shared()
    {
        final String property = System.getProperty("forkline.fixtures");
        final List<Path> candidates = new java.util.ArrayList<>();
        if (property != null)
        {
            candidates.add(Path.of(property).toAbsolutePath().normalize());
        }
        else
        {
            // the working directory is the module's; the clone is its parent
            for (Path dir = Path.of("").toAbsolutePath().getParent(); dir != null && dir.getParent() != null; dir = dir.getParent())
            {
                candidates.add(dir.getParent().resolve("shared").resolve("fixtures"));
            }
        }
        for (final Path candidate : candidates)
        {
            if (Files.isDirectory(candidate))
            {
                return candidate;
            }
        }
        Assumptions.abort("the real trajectories of other projects are not on this machine (looked for " + candidates +
            "; they are beside the developers' clones only): tested with the project's own fixtures instead");
        return null;
    }

    /**
     * @return the events of a branch as {@code show --json} prints them.
     */
    static List<JsonNode> events(final String store, final String branch)
    {
        final Cli.Result show = Cli.run("show", branch, "--json", "--store", store);
        assertEquals(0, show.code(), show.err());
        return show.lines().stream().map(Json::parseOrNull).toList();
    }

    /**
     * Checks that every tool.result names a tool call of the latest model.response with a call of that id, with the
     * same name, and that each call's arguments are a JSON string.
     *
     * @return the number of results.
     */
    static int assertResultsLinked(final List<JsonNode> events)
    {
        final java.util.Map<String, String> calls = new java.util.HashMap<>();
        int results = 0;
        for (final JsonNode event : events)
        {
            final JsonNode data = event.get("data");
            switch (event.get("kind").asText())
            {
                case "model.response" -> data.get("tool_calls").forEach(call ->
                {
                    assertNotNull(Json.parseOrNull(call.get("arguments").asText()), "arguments are a JSON string");
                    calls.put(call.get("id").asText(), call.get("name").asText());
                });
                case "tool.result" ->
                {
                    results++;
                    final String id = data.get("tool_call_id").asText();
                    assertTrue(calls.containsKey(id), "result " + id + " answers an earlier call");
                    assertEquals(calls.get(id), data.get("name").asText(), "result " + id + " has the name of the call");
                    assertTrue(data.get("content").isTextual(), "a result's content is a string: " + event);
                }
                default ->
                {
                }
            }
        }
        return results;
    }

    /**
     * @return the kinds of the events, in order.
     */
    static List<String> kinds(final List<JsonNode> events)
    {
        return events.stream().map(e -> e.get("kind").asText()).toList();
    }

    private static Path resource(final String name)
    {
        try
        {
            return Path.of(Fixtures.class.getResource(name).toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
