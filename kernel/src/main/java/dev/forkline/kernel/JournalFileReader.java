package dev.forkline.kernel;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static dev.forkline.kernel.JournalFileDescriptor.*;

/**
 * Walks the documents of one journal file (layout in {@link JournalFileDescriptor}) through a file channel,
 * never through a mapping: to check a file before Chronicle maps it, and to read a file that was cut short,
 * where touching a mapped page past the end of the file raises SIGBUS.
 * <p>
 * Reads go through one direct buffer, a window on the file that moves forward as the reader does. A document
 * longer than the window can be stepped over but not read. Nothing is ever written to the file.
 * <p>
 * Threading: one thread; {@link #open} reuses the reader for the next file.
 */
final class JournalFileReader implements AutoCloseable
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** What {@link #readHeader()} found. */
    enum Header
    {
        /** The header document, whole and in a layout this reader knows. */
        READ,
        /** No complete header document yet: the file is being created (or was left so by a writer that died). */
        NOT_WRITTEN,
        /** The file ends before its header document does: it was cut short. */
        CUT,
        /** A header this reader cannot parse; the file cannot be checked. */
        UNKNOWN_LAYOUT
    }

    /** What is at the reader's position. */
    enum Found
    {
        /** A complete document, inside the file. */
        DOCUMENT,
        /** The end of the records: nothing written yet, the end-of-file word, or a document not complete. */
        END,
        /** The file ends before the header word, or the document, that is here: it was cut short. */
        CUT
    }

    private final ByteBuffer window;
    private final UnsafeBuffer windowBuffer;
    private final UnsafeBuffer document = new UnsafeBuffer(0, 0);
    private FileChannel channel;
    private Path file;
    private long size;
    private long windowStart;
    private int windowLength;

    private boolean padded;
    private long firstDocument;
    private long writePosition;
    private long writeSequenceWord;

    private long position;
    private int word;
    private long reach;

    /**
     * @param capacity bytes of the window: at least the longest document to be read.
     */
    JournalFileReader(final int capacity)
    {
        window = ByteBuffer.allocateDirect(capacity).order(ORDER);
        windowBuffer = new UnsafeBuffer(window);
    }

    /** Reads one journal file with a reader {@link #readEach} opened for it. */
    @FunctionalInterface
    interface FileVisitor
    {
        void read(JournalFileReader reader, Path file) throws IOException;
    }

    /** The window of a reader that reads whole events: two of the largest payload, with room for its header. */
    static final int EVENT_WINDOW = 2 * Store.MAX_PAYLOAD_LENGTH;

    /**
     * Reads every journal file of a store, in journal order, with one reader whose window holds a whole event.
     *
     * @throws ForklineException {@code IO_ERROR} naming the journal file that could not be read.
     */
    static void readEach(final Path storeDir, final FileVisitor visitor)
    {
        Path file = null;
        try (JournalFileReader reader = new JournalFileReader(EVENT_WINDOW))
        {
            for (final Path journalFile : JournalFileCheck.journalFiles(storeDir))
            {
                file = journalFile;
                visitor.read(reader, journalFile);
            }
        }
        catch (final IOException ex)
        {
            throw ForklineException.ioError("cannot read journal file " + file, ex);
        }
    }

    /**
     * Opens a journal file for reading, closing the one open before.
     */
    void open(final Path file) throws IOException
    {
        close();
        channel = FileChannel.open(file, StandardOpenOption.READ);
        this.file = file;
        size = channel.size();
        windowStart = 0;
        windowLength = 0;
        padded = false;
        firstDocument = 0;
        writePosition = 0;
        writeSequenceWord = 0;
        position = 0;
        word = 0;
        reach = 0;
    }

    /**
     * Reads the header document at offset 0: the write position and whether documents are padded.
     */
    Header readHeader() throws IOException
    {
        final Found found = moveTo(0);
        if (found == Found.CUT)
        {
            return Header.CUT;
        }
        if (found == Found.END)
        {
            return Header.NOT_WRITTEN;
        }
        if (!isMetaDataWord(word) || lengthOf(word) > MAX_HEADER_LENGTH || document() == null)
        {
            return Header.UNKNOWN_LAYOUT;
        }
        final int end = document.capacity();
        final int writePositionAt = fieldValue(WRITE_POSITION_FIELD);
        if (writePositionAt < 0)
        {
            return Header.UNKNOWN_LAYOUT;
        }
        final int code = document.getByte(writePositionAt) & 0xFF;
        if (code == I64_ARRAY && writePositionAt + 1 + 3 * Long.BYTES <= end)
        {
            final long count = document.getLong(writePositionAt + 1 + Long.BYTES, ORDER);
            final int values = writePositionAt + 1 + 2 * Long.BYTES;
            if (count < 1)
            {
                return Header.UNKNOWN_LAYOUT;
            }
            writePosition = document.getLong(values, ORDER);
            writeSequenceWord = count >= 2 && values + 2 * Long.BYTES <= end ? document.getLong(values + Long.BYTES, ORDER) : 0;
        }
        else if (code == INT64 && writePositionAt + 1 + Long.BYTES <= end)
        {
            writePosition = document.getLong(writePositionAt + 1, ORDER);
        }
        else
        {
            return Header.UNKNOWN_LAYOUT;
        }
        // Chronicle pads documents only for dataFormat 1 (it reads a version above 1 as 0)
        padded = intValue(fieldValue(DATA_FORMAT_FIELD)) == 1;
        firstDocument = nextDocument(HEADER_WORD_LENGTH + lengthOf(word), padded);
        return writePosition < 0 ? Header.UNKNOWN_LAYOUT : Header.READ;
    }

    /**
     * Moves to the header word at {@code position}.
     */
    Found moveTo(final long position) throws IOException
    {
        this.position = position;
        word = 0;
        if (!ensure(position, HEADER_WORD_LENGTH) && !(sizeGrew() && ensure(position, HEADER_WORD_LENGTH)))
        {
            reach = position + HEADER_WORD_LENGTH;
            return Found.CUT;
        }
        word = windowBuffer.getInt((int)(position - windowStart), ORDER);
        if (!isComplete(word))
        {
            return Found.END;
        }
        final long end = position + HEADER_WORD_LENGTH + lengthOf(word);
        // a writer in another process may have extended the file since its size was read
        if (end > size && !(sizeGrew() && end <= size))
        {
            reach = end;
            return Found.CUT;
        }
        return Found.DOCUMENT;
    }

    /**
     * Moves past the current document, which must be a {@link Found#DOCUMENT}.
     */
    Found next() throws IOException
    {
        return moveTo(nextDocument(position + HEADER_WORD_LENGTH + lengthOf(word), padded));
    }

    /**
     * @return the bytes of the current document, valid until the reader moves; null when it is longer than the
     * window.
     */
    DirectBuffer document() throws IOException
    {
        final int length = lengthOf(word);
        if (!ensure(position, HEADER_WORD_LENGTH + length))
        {
            return null;
        }
        document.wrap(windowBuffer, (int)(position - windowStart) + HEADER_WORD_LENGTH, length);
        return document;
    }

    /**
     * For a document the file's end cuts: its first bytes, if they are inside the file.
     *
     * @return the first {@code length} bytes of the current document, or null when the file ends before them.
     */
    DirectBuffer documentStart(final int length) throws IOException
    {
        if (!isComplete(word) || length > lengthOf(word) || position + HEADER_WORD_LENGTH + length > size ||
            !ensure(position, HEADER_WORD_LENGTH + length))
        {
            return null;
        }
        document.wrap(windowBuffer, (int)(position - windowStart) + HEADER_WORD_LENGTH, length);
        return document;
    }

    /**
     * At {@link Found#END}: the bytes of a document whose header word says it is not complete (being written, left so by
     * a writer that died, or a header word damaged), when they are inside the file and the window.
     *
     * @return the document's bytes, as its length says, or null when the end is not such a document.
     */
    DirectBuffer unfinishedDocument() throws IOException
    {
        final int length = lengthOf(word);
        if (isComplete(word) || word == END_OF_FILE || length == 0 || position + HEADER_WORD_LENGTH + length > size ||
            !ensure(position, HEADER_WORD_LENGTH + length))
        {
            return null;
        }
        document.wrap(windowBuffer, (int)(position - windowStart) + HEADER_WORD_LENGTH, length);
        return document;
    }

    Path file()
    {
        return file;
    }

    /**
     * @return the size of the file as last read.
     */
    long size()
    {
        return size;
    }

    /**
     * @return the offset of the current header word.
     */
    long position()
    {
        return position;
    }

    /**
     * @return the length of the current document, from its header word (0 when there is none).
     */
    int length()
    {
        return isComplete(word) ? lengthOf(word) : 0;
    }

    boolean isMetaData()
    {
        return isMetaDataWord(word);
    }

    /**
     * @return after {@link Found#CUT}: the offset the file should reach at least.
     */
    long reach()
    {
        return reach;
    }

    /**
     * @return where the first document after the header starts.
     */
    long firstDocument()
    {
        return firstDocument;
    }

    /**
     * @return the header's write position: the offset of the last data document, 0 when there is none.
     */
    long writePosition()
    {
        return writePosition;
    }

    /**
     * @param shift the position's shift in the sequence word ({@link JournalFileDescriptor#sequenceShift}).
     * @return the sequence of the last data document, or -1 when the header does not say.
     */
    long writeSequence(final int shift)
    {
        final long sequenceWord = writeSequenceWord;
        if (sequenceWord == 0 || ((sequenceWord >> shift) & 0x7FFF_FFFF) != (writePosition & 0x7FFF_FFFF))
        {
            return -1;
        }
        return sequenceWord & ((1L << shift) - 1);
    }

    @Override
    public void close() throws IOException
    {
        if (channel != null)
        {
            channel.close();
            channel = null;
        }
    }

    /**
     * Makes the window hold {@code [at, at + length)}, reading from {@code at} on if it does not.
     *
     * @return false when those bytes are not all inside the file (as far as its size was read) or the window.
     */
    private boolean ensure(final long at, final int length) throws IOException
    {
        if (at >= windowStart && at + length <= windowStart + windowLength)
        {
            return true;
        }
        if (length > window.capacity() || at + length > size)
        {
            return false;
        }
        window.clear().limit((int)Math.min(window.capacity(), size - at));
        long from = at;
        while (window.hasRemaining())
        {
            final int read = channel.read(window, from);
            if (read < 0)
            {
                break;
            }
            from += read;
        }
        windowStart = at;
        windowLength = window.position();
        return windowLength >= length;
    }

    private boolean sizeGrew() throws IOException
    {
        final long now = channel.size();
        final boolean grew = now > size;
        size = now;
        return grew;
    }

    /**
     * @return the offset in {@link #document} of the value of header field {@code name}, after any padding, or -1.
     */
    private int fieldValue(final String name)
    {
        final int end = document.capacity();
        final int nameLength = name.length();
        for (int at = 0; at + 1 + nameLength < end; at++)
        {
            if ((document.getByte(at) & 0xFF) != FIELD_NAME0 + nameLength || !nameAt(at + 1, name))
            {
                continue;
            }
            int value = at + 1 + nameLength;
            while (value < end)
            {
                final int code = document.getByte(value) & 0xFF;
                if (code == PADDING)
                {
                    value++;
                }
                else if (code == PADDING32 && value + 1 + Integer.BYTES <= end)
                {
                    final long skipped = value + 1L + Integer.BYTES + document.getInt(value + 1, ORDER);
                    if (skipped < value || skipped > end)
                    {
                        return -1;
                    }
                    value = (int)skipped;
                }
                else
                {
                    return value;
                }
            }
            return -1;
        }
        return -1;
    }

    private boolean nameAt(final int at, final String name)
    {
        for (int i = 0; i < name.length(); i++)
        {
            if (document.getByte(at + i) != name.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the small integer at {@code at} in {@link #document}, or -1 when there is none.
     */
    private int intValue(final int at)
    {
        final int end = document.capacity();
        if (at < 0 || at >= end)
        {
            return -1;
        }
        final int code = document.getByte(at) & 0xFF;
        if (code < 0x80)
        {
            return code;
        }
        if (code == UINT8 || code == INT8)
        {
            return at + 1 < end ? (code == UINT8 ? document.getByte(at + 1) & 0xFF : document.getByte(at + 1)) : -1;
        }
        if (code == UINT16 || code == INT16)
        {
            return at + 3 <= end ? (code == UINT16 ? document.getShort(at + 1, ORDER) & 0xFFFF :
                document.getShort(at + 1, ORDER)) : -1;
        }
        if (code == INT32)
        {
            return at + 5 <= end ? document.getInt(at + 1, ORDER) : -1;
        }
        return -1;
    }
}
