package dev.forkline.junit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every code block of docs/integrations.md marked {@code <!-- compiled: FILE -->} is in that file as written, so
 * the examples there are code the build compiles and runs.
 */
class IntegrationsDocTest
{
    private static final Path ROOT = Path.of("../..");
    private static final Pattern BLOCK = Pattern.compile("<!-- compiled: (\\S+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyQuotedExampleIsInItsSourceFile() throws IOException
    {
        final String doc = Files.readString(ROOT.resolve("docs/integrations.md"));
        final Matcher m = BLOCK.matcher(doc);
        int blocks = 0;
        while (m.find())
        {
            blocks++;
            final Path source = ROOT.resolve(m.group(1));
            assertTrue(Files.isRegularFile(source), "docs/integrations.md quotes " + m.group(1) + ", which does not exist");
            final List<String> quoted = lines(m.group(2));
            final List<String> code = lines(Files.readString(source));
            assertTrue(Collections.indexOfSubList(code, quoted) >= 0,
                "docs/integrations.md quotes a block that is not in " + m.group(1) + " as written:\n" + m.group(2));
        }
        assertTrue(blocks >= 8, "found " + blocks + " quoted examples");
    }

    private static List<String> lines(final String text)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : text.split("\n"))
        {
            if (!line.isBlank())
            {
                out.add(line.strip());
            }
        }
        return out;
    }
}
