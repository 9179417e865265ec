package dev.forkline.kernel;

/**
 * How a writing store is opened. Fluent setters; defaults suit most agent runtimes.
 */
public final class StoreOptions
{
    /** Default bytes of the append ring: room for many events in flight and for the largest payload. */
    public static final int DEFAULT_RING_CAPACITY = 16 * 1024 * 1024;

    /** Default free space the journal keeps on its file system: below it, appends stop with an error. */
    public static final long DEFAULT_MIN_FREE_DISK = 128L * 1024 * 1024;

    private Durability durability = Durability.OS_CACHE;
    private int ringCapacity = DEFAULT_RING_CAPACITY;
    private long minFreeDisk = DEFAULT_MIN_FREE_DISK;
    private boolean createIfMissing = true;

    /**
     * @param durability what an acknowledged append survives; default {@link Durability#OS_CACHE}.
     * @return this.
     */
    public StoreOptions durability(final Durability durability)
    {
        if (durability == null)
        {
            throw new IllegalArgumentException("durability must not be null");
        }
        this.durability = durability;
        return this;
    }

    /**
     * @param bytes capacity of the append ring, a power of two of at least 16 MiB (it must hold eight of the
     *              largest event).
     * @return this.
     */
    public StoreOptions ringCapacity(final int bytes)
    {
        if (bytes < DEFAULT_RING_CAPACITY || Integer.bitCount(bytes) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two of at least 16 MiB: " + bytes);
        }
        this.ringCapacity = bytes;
        return this;
    }

    /**
     * The journal is memory-mapped: a write into a mapped page that the file system cannot back kills the
     * process (SIGBUS). So the journal thread checks the free space every megabyte it writes and, below this
     * reserve, stops appending with {@link ForklineException.Reason#DISK_FULL}; the store stays readable.
     *
     * @param bytes free bytes to keep on the store's file system; default 128 MiB, at least 16 MiB.
     * @return this.
     */
    public StoreOptions minFreeDisk(final long bytes)
    {
        if (bytes < 16L * 1024 * 1024)
        {
            throw new IllegalArgumentException("minimum free disk must be at least 16 MiB: " + bytes);
        }
        this.minFreeDisk = bytes;
        return this;
    }

    /**
     * @param create false to open only a store that exists: {@link Store#open} then fails with
     *               {@link ForklineException.Reason#NO_STORE} and creates nothing; default true.
     * @return this.
     */
    public StoreOptions createIfMissing(final boolean create)
    {
        this.createIfMissing = create;
        return this;
    }

    /**
     * @return true when {@link Store#open} creates a store that does not exist.
     */
    public boolean createIfMissing()
    {
        return createIfMissing;
    }

    /**
     * @return the free space the journal keeps, in bytes.
     */
    public long minFreeDisk()
    {
        return minFreeDisk;
    }

    /**
     * @return the durability mode.
     */
    public Durability durability()
    {
        return durability;
    }

    /**
     * @return the ring capacity in bytes.
     */
    public int ringCapacity()
    {
        return ringCapacity;
    }
}
