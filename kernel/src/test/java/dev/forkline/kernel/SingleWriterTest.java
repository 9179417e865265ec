package dev.forkline.kernel;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single-writer rule is checked: only the journal thread may handle the ring's records. Surefire runs the tests
 * with assertions on, so every test that writes a store checks the rule on each record.
 */
class SingleWriterTest
{
    @TempDir
    Path dir;

    @Test
    void theTestsRunWithTheKernelsAssertionsOn()
    {
        assertTrue(JournalWriter.class.desiredAssertionStatus(), "surefire enables assertions (-ea)");
    }

    @Test
    void aRecordHandledOnAnotherThreadThanTheJournalThreadFailsTheAssertion()
    {
        try (Journal journal = Journal.open(dir, false, Durability.SYNC))
        {
            final JournalWriter writer = new JournalWriter(
                journal, new BranchTable(), Durability.SYNC, 64 * 1024, new DiskSpace(dir, 0), 0);
            final UnsafeBuffer commit = new UnsafeBuffer(new byte[Long.BYTES]);
            final AssertionError error = assertThrows(AssertionError.class,
                () -> writer.onMessage(JournalWriter.MSG_COMMIT, commit, 0, Long.BYTES));
            assertTrue(error.getMessage().contains(Thread.currentThread().getName()), error.getMessage());
        }
    }
}
