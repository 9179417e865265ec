package dev.forkline.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a JSONL import file a line at a time with bounded memory: each line at most {@link #MAX_LINE_BYTES}, checked
 * to be strict UTF-8 ({@link Utf8Check}: an {@link InputException} naming the file and the line), and given as its
 * bytes, which the readers parse without decoding them into a string first.
 * <p>
 * Lines are split at {@code \n} bytes, which never occur inside a multi-byte UTF-8 sequence; a {@code \r}
 * before it is dropped, and so is a byte order mark at the start of the file (as Windows tools write). Every byte read
 * is counted into the import's {@link ProgressBar}.
 */
final class InputText implements AutoCloseable
{
    /** Longest line of a JSONL import: a whole conversation of openai-chat, or one event. */
    static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

    private static final byte[] BYTE_ORDER_MARK = {(byte)0xEF, (byte)0xBB, (byte)0xBF};

    private final String source;
    private final InputStream in;
    private final ProgressBar progress;
    private final Utf8Check utf8;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] line = new byte[8192];
    private int length;
    private int lineNumber;

    private InputText(final String source, final InputStream in, final ProgressBar progress)
    {
        this.source = source;
        this.in = in;
        this.progress = progress;
        this.utf8 = new Utf8Check(source);
    }

    /**
     * Opens a file to read line by line.
     */
    static InputText lines(final Path file, final ProgressBar progress) throws IOException
    {
        return new InputText(file.toString(), Files.newInputStream(file), progress);
    }

    /**
     * Reads the next line: {@link #bytes()}, {@code 0..}{@link #length()}, without its line break.
     *
     * @return false at the end of the file.
     * @throws InputException when the line is longer than {@link #MAX_LINE_BYTES} or not UTF-8.
     */
    boolean next() throws IOException
    {
        length = 0;
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
                        return false;
                    }
                    break;
                }
                progress.advance(limit);
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
        if (lineNumber == 1 && length >= 3 && Arrays.equals(line, 0, 3, BYTE_ORDER_MARK, 0, 3))
        {
            length -= 3;
            System.arraycopy(line, 3, line, 0, length);
        }
        utf8.restartAt(lineNumber);
        utf8.check(line, 0, length);
        utf8.end();
        return true;
    }

    /**
     * @return the bytes of the line {@link #next()} read; valid up to {@link #length()}, until the next call.
     */
    byte[] bytes()
    {
        return line;
    }

    int length()
    {
        return length;
    }

    /**
     * @return whether the line is empty or white space only (as {@link String#isBlank()} has it).
     */
    boolean isBlank()
    {
        for (int i = 0; i < length; i++)
        {
            final byte b = line[i];
            if (b < 0)
            {
                return new String(line, 0, length, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the number of the line {@link #next()} read last, from 1.
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
}
