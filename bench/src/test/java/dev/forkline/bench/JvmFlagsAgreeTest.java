package dev.forkline.bench;

import dev.forkline.kernel.Store;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM flags Chronicle Queue and Agrona need have one source, the root pom's {@code forkline.jvmFlags}
 * property (surefire and the launcher read it). The copies that cannot read it, the kernel's list
 * ({@code Store.requiredJvmFlags()}), {@link BenchFlags}, every benchmark's {@code @Fork} and README's block,
 * must say the same, in the same order.
 */
class JvmFlagsAgreeTest
{
    private static final Path ROOT = Path.of("..");

    @Test
    void theKernelBenchFlagsAndTheReadmeAgreeWithThePom() throws Exception
    {
        final List<String> pom = pomFlags();
        assertFalse(pom.isEmpty(), "the pom lists no flag");
        assertEquals(pom, Store.requiredJvmFlags(), "dev.forkline.kernel.JvmFlags.REQUIRED");
        assertEquals(pom, readmeFlags(), "README.md, JVM flags");
        final List<String> bench = new ArrayList<>(Arrays.asList(BenchFlags.ALL));
        assertTrue(bench.remove(BenchFlags.ANALYTICS_OFF), "BenchFlags.ALL turns Chronicle's analytics off");
        assertEquals(pom, bench, "BenchFlags.ALL");
    }

    @Test
    void everyBenchmarkForksWithEveryFlag() throws Exception
    {
        final Set<String> classes = new TreeSet<>();
        for (final BenchmarkListEntry entry : BenchmarkList.defaultList().getAll(
            OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of()))
        {
            classes.add(entry.getUserClassQName());
        }
        assertFalse(classes.isEmpty(), "no benchmark found in META-INF/BenchmarkList");
        for (final String name : classes)
        {
            final Class<?> type = Class.forName(name);
            final List<Fork> forks = new ArrayList<>();
            if (type.isAnnotationPresent(Fork.class))
            {
                forks.add(type.getAnnotation(Fork.class));
            }
            for (final Method method : type.getDeclaredMethods())
            {
                if (method.isAnnotationPresent(Fork.class))
                {
                    forks.add(method.getAnnotation(Fork.class));
                }
            }
            assertFalse(forks.isEmpty(), name + " sets no @Fork");
            for (final Fork fork : forks)
            {
                final List<String> args = new ArrayList<>(Arrays.asList(fork.jvmArgs()));
                args.addAll(Arrays.asList(fork.jvmArgsAppend()));
                args.addAll(Arrays.asList(fork.jvmArgsPrepend()));
                assertTrue(args.containsAll(Arrays.asList(BenchFlags.ALL)), name + " @Fork lacks flags: " + args);
            }
        }
    }

    private static List<String> pomFlags() throws Exception
    {
        final File pom = ROOT.resolve("pom.xml").toFile();
        final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom);
        final String value = doc.getElementsByTagName("forkline.jvmFlags").item(0).getTextContent();
        return List.of(value.trim().split("\\s+"));
    }

    private static List<String> readmeFlags() throws Exception
    {
        final List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int at = lines.indexOf("### JVM flags");
        assertTrue(at >= 0, "README.md has a section '### JVM flags'");
        while (!lines.get(at).startsWith("```"))
        {
            at++;
        }
        final List<String> flags = new ArrayList<>();
        for (at++; !lines.get(at).startsWith("```"); at++)
        {
            if (!lines.get(at).isBlank())
            {
                flags.add(lines.get(at).trim());
            }
        }
        return flags;
    }
}
