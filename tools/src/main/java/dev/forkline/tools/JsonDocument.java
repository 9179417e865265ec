package dev.forkline.tools;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON text read with Jackson's streaming parser, a token at a time and an element at a time as a small tree, so that
 * memory does not grow with the text: a whole-document import file (a SWE-agent trajectory, an OpenHands event
 * array) read from its start, one element of such a file read at its place, or one line of a JSONL file.
 * <p>
 * Every error is an {@link InputException} naming the source and, for a file read from its start, the line: the
 * messages of {@link Json#malformed}. A file read from its start is checked to be strict UTF-8 ({@link Utf8Check})
 * as its bytes are read, and every byte is counted into the import's {@link ProgressBar}.
 * <p>
 * The parser reads bytes, as UTF-8 (a byte order mark is skipped); offsets are byte offsets. Jackson would take a
 * text that has a zero byte among its first four for UTF-16 or UTF-32: such a text (never JSON, where U+0000 must be
 * escaped) is read as characters instead, so that it fails with the error the character parser gives.
 */
final class JsonDocument implements AutoCloseable
{
    /** Reads one value as a tree and leaves the parser after it: the elements of a document one by one. */
    private static final ObjectReader ELEMENT = Json.MAPPER.readerFor(JsonNode.class)
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String source;
    private final boolean lineInSource;
    private final JsonParser parser;
    private final byte[] bytes;
    private final CountingInput counted;
    private final ProgressBar progress;
    private final long size;

    private JsonDocument(final String source, final boolean lineInSource, final JsonParser parser, final byte[] bytes,
        final CountingInput counted, final ProgressBar progress, final long size)
    {
        this.source = source;
        this.lineInSource = lineInSource;
        this.parser = parser;
        this.bytes = bytes;
        this.counted = counted;
        this.progress = progress;
        this.size = size;
    }

    /**
     * Reads a file from its start; all of its {@code size} bytes count as read once it is closed, even when the
     * reader stopped before its end.
     */
    static JsonDocument read(final Path file, final ProgressBar progress) throws IOException
    {
        final long size = Files.size(file);
        final CountingInput counted = new CountingInput(Files.newInputStream(file), new Utf8Check(file.toString()), progress);
        try
        {
            final PushbackInputStream in = new PushbackInputStream(counted, 4);
            final byte[] head = new byte[4];
            int length = 0;
            int read;
            while (length < head.length && (read = in.read(head, length, head.length - length)) > 0)
            {
                length += read;
            }
            in.unread(head, 0, length);
            final JsonParser parser = hasZero(head, length) ?
                Json.MAPPER.createParser(new InputStreamReader(in, StandardCharsets.UTF_8)) : Json.MAPPER.createParser(in);
            return new JsonDocument(file.toString(), false, parser, null, counted, progress, size);
        }
        catch (final JsonProcessingException ex)
        {
            counted.close();
            throw Json.malformed(file.toString(), ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            counted.close();
            throw ex;
        }
    }

    /**
     * Reads the value that starts at {@code offset} of a file a first reading checked (the channel stays open).
     *
     * @param where names the value in an error.
     */
    static JsonDocument at(final String where, final SeekableByteChannel channel, final long offset) throws IOException
    {
        channel.position(offset);
        final InputStream in = new FilterInputStream(Channels.newInputStream(channel))
        {
            @Override
            public void close()
            {
                // the channel is the caller's
            }
        };
        return new JsonDocument(where, true, Json.MAPPER.createParser(in), null, null, null, 0);
    }

    /**
     * Reads a line of a JSONL file, checked to be UTF-8.
     *
     * @param where the file and the line, named in an error.
     */
    static JsonDocument line(final String where, final byte[] bytes, final int length) throws IOException
    {
        if (hasZero(bytes, Math.min(4, length)))
        {
            return new JsonDocument(where, true, Json.MAPPER.createParser(new String(bytes, 0, length, StandardCharsets.UTF_8)),
                null, null, null, 0);
        }
        return new JsonDocument(where, true, Json.MAPPER.createParser(bytes, 0, length), bytes, null, null, 0);
    }

    private static boolean hasZero(final byte[] head, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (head[i] == 0)
            {
                return true;
            }
        }
        return false;
    }

    JsonParser parser()
    {
        return parser;
    }

    /**
     * @return the next token, or null at the end of the text.
     */
    JsonToken next() throws IOException
    {
        try
        {
            return parser.nextToken();
        }
        catch (final JsonProcessingException ex)
        {
            throw malformed(ex);
        }
    }

    /**
     * @return the value whose first token is the current one, as a tree; the next {@link #next()} gives the token
     * after it.
     */
    JsonNode tree() throws IOException
    {
        try
        {
            return ELEMENT.readTree(parser);
        }
        catch (final JsonProcessingException ex)
        {
            throw malformed(ex);
        }
    }

    /**
     * Skips the value whose first token is the current one, checking it as it goes.
     */
    void skip() throws IOException
    {
        try
        {
            parser.skipChildren();
            parser.finishToken();
        }
        catch (final JsonProcessingException ex)
        {
            throw malformed(ex);
        }
    }

    /**
     * Moves from the start of a document that is an object (as a first reading found it) to the value of one of its
     * fields, skipping the fields before it.
     *
     * @return false when the object has no such field.
     */
    boolean toField(final String field) throws IOException
    {
        next();
        while (next() == JsonToken.FIELD_NAME)
        {
            final boolean found = field.equals(name());
            next();
            if (found)
            {
                return true;
            }
            skip();
        }
        return false;
    }

    /**
     * @return the name of the field whose name is the current token.
     */
    String name() throws IOException
    {
        return parser.currentName();
    }

    /**
     * @return the byte offset of the current token in the file (or line).
     */
    long tokenOffset()
    {
        return parser.currentTokenLocation().getByteOffset();
    }

    /**
     * @return the byte offset just after what the parser has read (the end of the value {@link #skip()} skipped).
     */
    long offset()
    {
        return parser.currentLocation().getByteOffset();
    }

    /**
     * @return the text of a line from one byte offset to another; null when the line is read as characters (it is
     * never JSON then, see above).
     */
    String text(final long from, final long to)
    {
        return bytes == null ? null : new String(bytes, (int)from, (int)(to - from), StandardCharsets.UTF_8);
    }

    /**
     * @throws InputException when anything but white space follows the value read.
     */
    void end() throws IOException
    {
        final JsonToken after = next();
        if (after != null)
        {
            throw new InputException(where(parser.currentTokenLocation()) + ": not JSON: Trailing token (of type " + after +
                ") found after the document");
        }
    }

    /**
     * @return the problem, on one line, with the source and its line.
     */
    InputException malformed(final JsonProcessingException ex)
    {
        return Json.malformed(where(ex.getLocation() != null ? ex.getLocation() : parser.currentLocation()), ex);
    }

    private String where(final JsonLocation location)
    {
        return lineInSource || location == null || location.getLineNr() <= 0 ? source : source + ":" + location.getLineNr();
    }

    @Override
    public void close() throws IOException
    {
        parser.close();
        if (counted != null)
        {
            counted.close();
            progress.advance(Math.max(0, size - counted.read));
        }
    }

    /**
     * The bytes of a file as they are read: checked to be UTF-8, counted into the progress bar.
     */
    private static final class CountingInput extends FilterInputStream
    {
        private final Utf8Check utf8;
        private final ProgressBar progress;
        private long read;

        CountingInput(final InputStream in, final Utf8Check utf8, final ProgressBar progress)
        {
            super(in);
            this.utf8 = utf8;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException
        {
            final byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException
        {
            final int count = in.read(buffer, offset, length);
            if (count > 0)
            {
                utf8.check(buffer, offset, offset + count);
                read += count;
                progress.advance(count);
            }
            else if (count < 0)
            {
                utf8.end();
            }
            return count;
        }

        @Override
        public long skip(final long n) throws IOException
        {
            final byte[] skipped = new byte[(int)Math.min(n, 8192)];
            final int count = read(skipped, 0, skipped.length);
            return Math.max(count, 0);
        }
    }
}
