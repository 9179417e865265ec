package dev.forkline.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads an import file as strict UTF-8 text with bounded memory: a JSONL file a line at a time, each line at
 * most {@link #MAX_LINE_BYTES}; a whole-document file at most {@link #MAX_DOCUMENT_BYTES}. Bytes that are not
 * UTF-8 are an {@link InputException} naming the file and the line.
 * <p>
 * Lines are split at {@code \n} bytes, which never occur inside a multi-byte UTF-8 sequence; a {@code \r}
 * before it is dropped, and so is a byte order mark at the start of the file (as Windows tools write).
 */
final class InputText implements AutoCloseable
{
    /** Longest line of a JSONL import: a whole conversation of openai-chat, or one event. */
    static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

    /** Largest whole-document import (a SWE-agent trajectory, an OpenHands event array). */
    static final long MAX_DOCUMENT_BYTES = 256L * 1024 * 1024;

    private final String source;
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] line = new byte[8192];
    private int lineNumber;

    private InputText(final String source, final InputStream in)
    {
        this.source = source;
        this.in = in;
    }

    /**
     * Opens a file to read line by line.
     */
    static InputText lines(final Path file) throws IOException
    {
        return new InputText(file.toString(), Files.newInputStream(file));
    }

    /**
     * @return the whole file as text.
     * @throws InputException when it is over {@link #MAX_DOCUMENT_BYTES} or not UTF-8.
     */
    static String document(final Path file) throws IOException
    {
        final long size = Files.size(file);
        if (size > MAX_DOCUMENT_BYTES)
        {
            throw new InputException(file + ": " + size + " bytes is over the limit of " + MAX_DOCUMENT_BYTES +
                " bytes for one document");
        }
        final byte[] bytes = Files.readAllBytes(file);
        return withoutByteOrderMark(decode(file.toString(), bytes, bytes.length, 1));
    }

    /**
     * @return the next line without its line break, or null at the end of the file.
     * @throws InputException when the line is longer than {@link #MAX_LINE_BYTES} or not UTF-8.
     */
    String next() throws IOException
    {
        int length = 0;
        boolean ended = false;
        while (!ended)
        {
            if (position == limit)
            {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0)
                {
                    limit = 0;
                    if (length == 0)
                    {
                        return null;
                    }
                    break;
                }
            }
            int end = position;
            while (end < limit && buffer[end] != '\n')
            {
                end++;
            }
            ended = end < limit;
            final int count = end - position;
            if ((long)length + count > MAX_LINE_BYTES)
            {
                throw new InputException(source + ":" + (lineNumber + 1) + ": line is longer than the limit of " +
                    MAX_LINE_BYTES + " bytes");
            }
            if (length + count > line.length)
            {
                line = Arrays.copyOf(line, (int)Math.min(Math.max((long)line.length * 2, length + count), MAX_LINE_BYTES));
            }
            System.arraycopy(buffer, position, line, length, count);
            length += count;
            position = ended ? end + 1 : end;
        }
        lineNumber++;
        if (length > 0 && line[length - 1] == '\r')
        {
            length--;
        }
        final String text = decode(source, line, length, lineNumber);
        return lineNumber == 1 ? withoutByteOrderMark(text) : text;
    }

    private static String withoutByteOrderMark(final String text)
    {
        return text.startsWith("\ufeff") ? text.substring(1) : text;
    }

    /**
     * @return the number of the line {@link #next()} returned last, from 1.
     */
    int lineNumber()
    {
        return lineNumber;
    }

    @Override
    public void close() throws IOException
    {
        in.close();
    }

    private static String decode(final String source, final byte[] bytes, final int length, final int firstLine)
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        final ByteBuffer input = ByteBuffer.wrap(bytes, 0, length);
        final CharBuffer output = CharBuffer.allocate(length); // UTF-8 never gives more chars than bytes
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError())
        {
            result = decoder.flush(output);
        }
        if (result.isError())
        {
            final int at = input.position();
            int line = firstLine;
            for (int i = 0; i < at; i++)
            {
                if (bytes[i] == '\n')
                {
                    line++;
                }
            }
            throw new InputException(source + ":" + line + ": not UTF-8 text (byte 0x" +
                Integer.toHexString(bytes[at] & 0xff) + ")");
        }
        return output.flip().toString();
    }
}
