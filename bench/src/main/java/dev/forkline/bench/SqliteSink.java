package dev.forkline.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite through sqlite-jdbc, the way checkpoint savers of agent frameworks keep steps: WAL journal,
 * {@code synchronous=NORMAL} (a commit survives a crash of the process, like Forkline's {@code OS_CACHE}) or
 * {@code FULL} (a commit is fsynced, like {@code SYNC}), one row per event keyed by (session, step), a commit every
 * {@code commitEvery} events.
 * <p>
 * SQLite has one writer per database, so threads share the connection under a lock.
 */
final class SqliteSink implements Sink
{
    private final Connection connection;
    private final PreparedStatement insert;
    private final int commitEvery;
    private int uncommitted;

    SqliteSink(final Path directory, final int commitEvery, final boolean fsync)
    {
        this.commitEvery = commitEvery;
        try
        {
            connection = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("events.db"));
            try (Statement statement = connection.createStatement())
            {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute(fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
                statement.execute("CREATE TABLE IF NOT EXISTS events (" +
                    "session TEXT NOT NULL, step INTEGER NOT NULL, kind TEXT NOT NULL, ts INTEGER NOT NULL, " +
                    "payload BLOB NOT NULL, PRIMARY KEY (session, step))");
            }
            connection.setAutoCommit(false);
            insert = connection.prepareStatement("INSERT INTO events (session, step, kind, ts, payload) VALUES (?, ?, ?, ?, ?)");
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("cannot open SQLite in " + directory, ex);
        }
    }

    Connection connection()
    {
        return connection;
    }

    @Override
    public SinkWriter writer(final String session)
    {
        return new SinkWriter()
        {
            private long step;

            @Override
            public void append(final byte[] json, final String text)
            {
                insert(session, step++, json);
            }

            @Override
            public void commit()
            {
                commitNow();
            }
        };
    }

    private synchronized void insert(final String session, final long step, final byte[] json)
    {
        try
        {
            insert.setString(1, session);
            insert.setLong(2, step);
            insert.setString(3, "user");
            insert.setLong(4, System.currentTimeMillis() * 1_000_000L);
            insert.setBytes(5, json);
            insert.executeUpdate();
            if (++uncommitted >= commitEvery)
            {
                connection.commit();
                uncommitted = 0;
            }
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private synchronized void commitNow()
    {
        try
        {
            if (uncommitted > 0)
            {
                connection.commit();
                uncommitted = 0;
            }
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public synchronized void close()
    {
        try
        {
            commitNow();
            insert.close();
            connection.close();
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
