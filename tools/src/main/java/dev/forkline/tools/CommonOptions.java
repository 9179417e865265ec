package dev.forkline.tools;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.StoreOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options every command takes: which store, and whether a failure prints its stack trace.
 */
final class CommonOptions
{
    static final String DEFAULT_STORE = "forkline-data";
    static final String STORE_VARIABLE = "FORKLINE_STORE";

    @Option(names = "--store", paramLabel = "DIR",
        description = "The store directory (default: $FORKLINE_STORE, else ./forkline-data).")
    Path store;

    @Option(names = "--debug", description = "Print the stack trace of a failure.")
    boolean debug;

    Path directory()
    {
        if (store != null)
        {
            return store;
        }
        final String fromEnvironment = System.getenv(STORE_VARIABLE);
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_STORE : fromEnvironment);
    }

    Store openReadOnly()
    {
        return Store.openReadOnly(directory());
    }

    Store openForWriting()
    {
        return Store.open(directory());
    }

    /**
     * @return the store, open for writing; a directory that holds no store is an error, and nothing is created.
     */
    Store openExistingForWriting()
    {
        return Store.open(directory(), new StoreOptions().createIfMissing(false));
    }
}
