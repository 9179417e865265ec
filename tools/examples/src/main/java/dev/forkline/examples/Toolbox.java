package dev.forkline.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The reference agent's real tools, confined to one directory: {@code list_files}, {@code read_file} and
 * {@code calc}. A failure is an error result for the model to see, never an exception.
 */
final class Toolbox
{
    static final String LIST_FILES = "list_files";
    static final String READ_FILE = "read_file";
    static final String CALC = "calc";

    static final String SCHEMAS = "[" +
        "{\"name\":\"list_files\",\"description\":\"List the files of a directory, one a line; directories end in /.\"," +
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}}," +
        "{\"name\":\"read_file\",\"description\":\"Read a text file.\"," +
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}}," +
        "{\"name\":\"calc\",\"description\":\"Compute a op b, op one of + - * /.\"," +
        "\"parameters\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"number\"},\"op\":{\"type\":\"string\"}," +
        "\"b\":{\"type\":\"number\"}},\"required\":[\"a\",\"op\",\"b\"]}}]";

    private static final int MAX_READ = 64 * 1024;

    private final Path root;
    private final ObjectMapper mapper;
    private int calls;

    Toolbox(final Path root, final ObjectMapper mapper)
    {
        this.root = root.toAbsolutePath().normalize();
        this.mapper = mapper;
    }

    int calls()
    {
        return calls;
    }

    ToolResult run(final ToolCall call)
    {
        calls++;
        try
        {
            final JsonNode args = mapper.readTree(call.arguments());
            return switch (call.name())
            {
                case LIST_FILES -> listFiles(resolve(args.path("path").asText(".")));
                case READ_FILE -> readFile(resolve(args.path("path").asText("")));
                case CALC -> calc(args);
                default -> new ToolResult("unknown tool " + call.name(), true);
            };
        }
        catch (final IOException | RuntimeException ex)
        {
            return new ToolResult(call.name() + " failed: " + ex.getMessage(), true);
        }
    }

    private Path resolve(final String path)
    {
        final Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root))
        {
            throw new IllegalArgumentException("path " + path + " is outside the work directory");
        }
        return resolved;
    }

    private ToolResult listFiles(final Path dir) throws IOException
    {
        final StringBuilder out = new StringBuilder();
        try (Stream<Path> entries = Files.list(dir))
        {
            entries.sorted().forEach(p ->
                out.append(p.getFileName()).append(Files.isDirectory(p) ? "/" : "").append('\n'));
        }
        return new ToolResult(out.toString(), false);
    }

    private ToolResult readFile(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final int n = Math.min(bytes.length, MAX_READ);
        return new ToolResult(new String(bytes, 0, n, StandardCharsets.UTF_8), false);
    }

    private static ToolResult calc(final JsonNode args)
    {
        final BigDecimal a = args.path("a").decimalValue();
        final BigDecimal b = args.path("b").decimalValue();
        final BigDecimal result = switch (args.path("op").asText())
        {
            case "+" -> a.add(b);
            case "-" -> a.subtract(b);
            case "*" -> a.multiply(b);
            case "/" -> a.divide(b, MathContext.DECIMAL64);
            default -> throw new IllegalArgumentException("unknown operator '" + args.path("op").asText() + "'");
        };
        return new ToolResult(result.stripTrailingZeros().toPlainString(), false);
    }
}
