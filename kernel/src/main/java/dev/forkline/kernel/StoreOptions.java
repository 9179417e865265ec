package dev.forkline.kernel;

/**
 * How a writing store is opened. Fluent setters; defaults suit most agent runtimes.
 */
public final class StoreOptions
{
    /** Default bytes of the append ring: room for many events in flight and for the largest payload. */
    public static final int DEFAULT_RING_CAPACITY = 16 * 1024 * 1024;

    private Durability durability = Durability.OS_CACHE;
    private int ringCapacity = DEFAULT_RING_CAPACITY;

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
