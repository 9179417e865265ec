package dev.forkline.kernel;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Store#salvage}: a store with a journal file cut short, with a damaged record, and a sound one, copied into a
 * new store and compared with what was recorded, event by event.
 */
class SalvageTest
{
    private static final long T0 = 1_767_323_045_000_000_000L;
    private static final EventKind[] KINDS = {
        EventKind.USER, EventKind.MODEL_RESPONSE, EventKind.TOOL_RESULT, EventKind.CLOCK, EventKind.EFFECT, EventKind.ANNOTATION};
    private static final int ROUNDS = 120;
    private static final String FORK_REASON = "retry \"quoted\" \\ é\n";

    @TempDir
    Path dir;

    private Path source;
    private Path journalFile;
    private long time = T0;

    /** The records of the recorded journal in journal order, each with the offset its record ends at. */
    private final List<Event> journal = new ArrayList<>();
    private final List<Long> ends = new ArrayList<>();
    private final Map<String, BranchInfo> infos = new LinkedHashMap<>();
    private final Map<String, List<Event>> events = new LinkedHashMap<>();
    private final Map<String, Event> forkEvents = new LinkedHashMap<>();

    /**
     * Records two sessions whose events alternate in the journal, with forks of a root (alpha/1 at 20, alpha/3 at 10),
     * of a fork (alpha/2, of alpha/1 at 25) and of the other session (beta/1 at 10): kinds, flags, fixed timestamps,
     * text and binary payloads, an end and an outcome after it. Then reads back what was written.
     */
    private void record() throws IOException
    {
        source = dir.resolve("damaged");
        try (Store store = Store.open(source))
        {
            final BranchWriter alpha = store.startSession("alpha", "{\"agent\":\"α\"}", time++);
            final BranchWriter beta = store.startSession("beta", null, time++);
            BranchWriter alpha1 = null;
            BranchWriter alpha2 = null;
            BranchWriter alpha3 = null;
            BranchWriter beta1 = null;
            for (int i = 1; i <= ROUNDS; i++)
            {
                append(alpha, i);
                append(beta, i);
                alpha1 = i == 30 ? store.fork("alpha", 20, FORK_REASON, time++) : alpha1;
                alpha2 = i == 50 ? store.fork("alpha/1", 25, null, time++) : alpha2;
                beta1 = i == 60 ? store.fork("beta", 10, "b", time++) : beta1;
                alpha3 = i == 70 ? store.fork("alpha", 10, "early", time++) : alpha3;
                for (final BranchWriter fork : new BranchWriter[] {alpha1, alpha2, alpha3})
                {
                    if (fork != null)
                    {
                        append(fork, i);
                    }
                }
                if (beta1 != null)
                {
                    final byte[] binary = (beta1.branch() + "@" + beta1.nextStep() + " ").getBytes(StandardCharsets.UTF_8);
                    final byte[] payload = new byte[binary.length + 3];
                    System.arraycopy(binary, 0, payload, 0, binary.length);
                    payload[binary.length] = (byte)0xFF; // not UTF-8: copied byte for byte
                    payload[binary.length + 1] = (byte)0xFE;
                    payload[binary.length + 2] = (byte)i;
                    beta1.append(EventKind.EFFECT, EventFlags.IMPORTED, time++, new UnsafeBuffer(payload), 0, payload.length);
                }
            }
            alpha.end("done");
            alpha.append(EventKind.OUTCOME, 0, time++, "{\"reward\":1,\"label\":\"correct\"}");
            beta.end("stopped");
            assertEquals(List.of("alpha", "alpha/1", "alpha/2", "alpha/3"),
                store.tree("alpha").stream().map(BranchInfo::name).toList());
        }
        readBack();
        try (Stream<Path> files = Files.list(source.resolve(Journal.DIRECTORY)))
        {
            final List<Path> cq4 = files.filter(f -> f.toString().endsWith(".cq4")).toList();
            assertEquals(1, cq4.size(), "one cycle");
            journalFile = cq4.get(0);
        }
    }

    private void append(final BranchWriter writer, final int i)
    {
        final long step = writer.nextStep();
        final int flags = (i % 7 == 0 ? EventFlags.IMPORTED : 0) | (i % 40 == 0 ? EventFlags.COMMIT : 0);
        writer.append(KINDS[i % KINDS.length], flags, time++, payload(writer.branch(), step));
    }

    private static String payload(final String branch, final long step)
    {
        return "{\"content\":\"" + branch + "@" + step + " " + "y".repeat(150) + "\"}";
    }

    private void readBack()
    {
        try (Store store = Store.openReadOnly(source))
        {
            try (JournalCursor cursor = store.readJournal())
            {
                while (cursor.next())
                {
                    assertNull(cursor.problem());
                    final Event event = cursor.event().toEvent();
                    final boolean keyed = event.kind() == EventKind.SESSION_START || event.kind() == EventKind.FORK;
                    journal.add(event);
                    ends.add(cursor.fileOffset() + EventHeaderDescriptor.HEADER_LENGTH +
                        (keyed ? event.branch().getBytes(StandardCharsets.UTF_8).length : 0) + event.payload().length);
                }
            }
            for (final String session : store.sessions())
            {
                for (final BranchInfo info : store.tree(session))
                {
                    infos.put(info.name(), info);
                    events.put(info.name(), readAll(store, info.name()));
                    forkEvents.put(info.name(), store.forkEvent(info.name()));
                }
            }
        }
    }

    private static List<Event> readAll(final Store store, final String branch)
    {
        final List<Event> read = new ArrayList<>();
        try (EventCursor cursor = store.read(branch))
        {
            while (cursor.next())
            {
                read.add(cursor.event().toEvent());
            }
        }
        return read;
    }

    private static List<Event> readJournal(final Store store)
    {
        final List<Event> read = new ArrayList<>();
        try (JournalCursor cursor = store.readJournal())
        {
            while (cursor.next())
            {
                assertNull(cursor.problem());
                read.add(cursor.event().toEvent());
            }
        }
        return read;
    }

    /**
     * Checks that the salvaged store holds exactly {@code expected} in journal order, and that each branch of the
     * recording that has its creating record there has its name, parent, fork step, its fork event and its first steps,
     * event by event, as recorded, up to its length in {@code lengths}; the other branches are not there.
     */
    private void assertSalvaged(final Path target, final List<Event> expected, final Map<String, Long> lengths)
    {
        final VerifyReport verify = Store.verify(target);
        assertTrue(verify.ok(), verify.toString());
        try (Store salvaged = Store.openReadOnly(target))
        {
            assertEquals(expected, readJournal(salvaged), "every event copied, in journal order");
            assertTrue(salvaged.verifyChain().ok(), "the new store's chain is its own, and whole");
            for (final BranchInfo recorded : infos.values())
            {
                final String name = recorded.name();
                final Long length = lengths.get(name);
                if (length == null)
                {
                    final ForklineException ex = assertThrows(ForklineException.class, () -> salvaged.branch(name), name);
                    assertEquals(ForklineException.Reason.UNKNOWN_BRANCH, ex.reason());
                    continue;
                }
                final BranchInfo copy = salvaged.branch(name);
                assertEquals(recorded.session(), copy.session());
                assertEquals(recorded.parent(), copy.parent(), name);
                assertEquals(recorded.forkStep(), copy.forkStep(), name);
                assertEquals(length, copy.length(), name);
                assertEquals(forkEvents.get(name), salvaged.forkEvent(name), name);
                assertEquals(events.get(name).subList(0, (int)(long)length), readAll(salvaged, name), name);
            }
        }
    }

    /** @return each branch's length as far as {@code salvaged} holds its events. */
    private static Map<String, Long> lengths(final List<Event> salvaged)
    {
        final Map<String, Long> lengths = new LinkedHashMap<>();
        for (final Event event : salvaged)
        {
            lengths.merge(event.branch(), event.kind() == EventKind.FORK ? event.step() : event.step() + 1, Math::max);
        }
        return lengths;
    }

    /** @return the length of the journal file up to its last byte that is not zero (the rest is preallocated). */
    private long writtenLength() throws IOException
    {
        final byte[] head = new byte[2 << 20];
        try (FileChannel channel = FileChannel.open(journalFile, StandardOpenOption.READ))
        {
            channel.read(ByteBuffer.wrap(head), 0);
        }
        int last = head.length - 1;
        while (last >= 0 && head[last] == 0)
        {
            last--;
        }
        assertTrue(last < head.length - 4096, "the journal's written part fits in what was read");
        return last + 1;
    }

    /** @return a digest of every file of the store, to show that nothing was changed. */
    private static Map<String, String> digest(final Path store) throws IOException, NoSuchAlgorithmException
    {
        final Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(store))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                final MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(Files.readAllBytes(file));
                digests.put(file.toString(), Files.size(file) + " " + Files.getLastModifiedTime(file) + " " +
                    HexFormat.of().formatHex(sha.digest()));
            }
        }
        return digests;
    }

    @Test
    void aStoreWithAJournalFileCutToHalfItsLengthIsSalvagedUpToTheCut() throws Exception
    {
        record();
        final long at = writtenLength() / 2;
        try (FileChannel channel = FileChannel.open(journalFile, StandardOpenOption.WRITE))
        {
            channel.truncate(at);
        }
        assertEquals(ForklineException.Reason.CORRUPT_JOURNAL,
            assertThrows(ForklineException.class, () -> Store.openReadOnly(source)).reason());
        final Map<String, String> before = digest(source);

        final Path target = dir.resolve("salvaged");
        final SalvageReport report = Store.salvage(source, target);

        assertEquals(before, digest(source), "the damaged store is only read");
        final List<Event> expected = new ArrayList<>();
        for (int i = 0; i < journal.size() && ends.get(i) <= at; i++)
        {
            expected.add(journal.get(i));
        }
        assertTrue(expected.size() > 100 && expected.size() < journal.size() - 100, "the cut is in the middle");
        final Map<String, Long> lengths = lengths(expected);
        assertTrue(lengths.containsKey("alpha/1") && !lengths.containsKey("beta/1"), "forks on both sides of the cut");
        assertSalvaged(target, expected, lengths);

        assertEquals(expected.size(), report.events());
        assertEquals(expected.size(), report.source().events(), "verify reads as many sound events before the cut");
        assertEquals(2, report.sessions());
        assertEquals(lengths.size(), report.branches());
        assertEquals(0, report.droppedEvents(), "a cut loses the end of the journal, and every branch keeps its steps");
        assertEquals(List.of(), report.dropped());
        assertEquals(Map.of(), report.renamed());
        assertFalse(report.complete());
        assertEquals(1, report.source().damagedCount());
        final VerifyReport.Damage cut = report.source().damaged().get(0);
        assertEquals(journalFile.toString(), cut.file());
        assertTrue(cut.offset() <= at && cut.offset() >= ends.get(expected.size() - 1), cut.toString());
        assertTrue(cut.problem().contains((journal.size() - expected.size()) + " events from here on are lost"), cut.problem());
        assertTrue(report.source().indexProblems().contains("beta/1's fork event is lost with the cut of " +
            journalFile.getFileName()), report.source().indexProblems().toString());
        try (Stream<Path> siblings = Files.list(dir))
        {
            assertEquals(List.of("damaged", "salvaged"), siblings.map(p -> p.getFileName().toString()).sorted().toList(),
                "no temporary directory is left");
        }
    }

    @Test
    void aDamagedRecordEndsItsBranchAndDropsTheForksPastItWhileTheOtherBranchesAreWhole() throws Exception
    {
        record();
        // flip one byte of the payload of alpha@15: alpha/1 forks alpha at 20 (and alpha/2 forks alpha/1), alpha/3 at 10
        final byte[] bytes = Files.readAllBytes(journalFile);
        final byte[] marker = "alpha@15 ".getBytes(StandardCharsets.UTF_8);
        int at = 0;
        while (!java.util.Arrays.equals(bytes, at, at + marker.length, marker, 0, marker.length))
        {
            at++;
        }
        bytes[at + marker.length + 10] ^= 0x01;
        Files.write(journalFile, bytes);

        final Path target = dir.resolve("salvaged");
        final SalvageReport report = Store.salvage(source, target);

        final List<Event> expected = new ArrayList<>();
        long dropped = 0;
        for (final Event event : journal)
        {
            final boolean lost = event.branch().equals("alpha") && event.step() >= 15 ||
                event.branch().equals("alpha/1") || event.branch().equals("alpha/2");
            if (!lost)
            {
                expected.add(event);
            }
            else if (!(event.branch().equals("alpha") && event.step() == 15))
            {
                dropped++;
            }
        }
        final Map<String, Long> lengths = lengths(expected);
        assertEquals(15, lengths.get("alpha"));
        assertEquals(List.of("alpha", "beta", "beta/1", "alpha/3"), List.copyOf(lengths.keySet()));
        assertSalvaged(target, expected, lengths);

        assertEquals(expected.size(), report.events());
        assertEquals(dropped, report.droppedEvents());
        assertEquals(report.source().events(), report.events() + report.droppedEvents());
        assertEquals(1, report.source().damagedCount());
        assertEquals("alpha@15", report.source().damaged().get(0).event());
        assertTrue(report.source().damaged().get(0).problem().startsWith("checksum mismatch"));
        final long alphaSteps = infos.get("alpha").length();
        assertEquals(List.of(
            "alpha@16..alpha@" + (alphaSteps - 1) + " (" + (alphaSteps - 16) + " events): alpha@15 is missing from the " +
                "journal (damaged, or cut off), and an event cannot change its step: the copy of alpha has 15 steps",
            "alpha/1 (its fork event and " + (infos.get("alpha/1").length() - 20) + " events): it forks alpha at step 20, " +
                "but the copy of alpha has 15 steps",
            "alpha/2 (its fork event and " + (infos.get("alpha/2").length() - 25) + " events): its parent alpha/1 is not copied"),
            report.dropped());
        assertEquals(Map.of(), report.renamed(), "alpha/3 keeps its number though alpha/1 and alpha/2 are dropped");
        assertFalse(report.complete());
    }

    @Test
    void aSoundStoreIsCopiedEventForEventIntoAnEmptyDirectory() throws Exception
    {
        record();
        final Path target = Files.createDirectory(dir.resolve("salvaged"));
        final SalvageReport report = Store.salvage(source, target);

        final Map<String, Long> lengths = new LinkedHashMap<>();
        infos.forEach((name, info) -> lengths.put(name, info.length()));
        assertSalvaged(target, journal, lengths);
        assertTrue(report.complete(), report.toString());
        assertEquals(journal.size(), report.events());
        assertEquals(2, report.sessions());
        assertEquals(6, report.branches());
        try (Store salvaged = Store.openReadOnly(target))
        {
            assertEquals(List.of("alpha", "beta"), salvaged.sessions());
            for (final String session : salvaged.sessions())
            {
                final List<BranchInfo> tree = salvaged.tree(session);
                assertEquals(tree.size(), infos.values().stream().filter(i -> i.session().equals(session)).count());
                for (final BranchInfo info : tree)
                {
                    assertEquals(infos.get(info.name()), info, "the same tree, lengths, last activity and outcome");
                }
            }
        }
    }

    @Test
    void aTargetThatIsNotEmptyOrInsideTheStoreIsRefusedAndNothingIsWritten() throws Exception
    {
        record();
        final Path target = Files.createDirectory(dir.resolve("salvaged"));
        Files.writeString(target.resolve("notes.txt"), "keep");
        final IllegalArgumentException notEmpty = assertThrows(IllegalArgumentException.class,
            () -> Store.salvage(source, target));
        assertEquals("cannot salvage into " + target + ": it is not empty (salvage writes a new store into a new or " +
            "empty directory)", notEmpty.getMessage());
        try (Stream<Path> files = Files.list(target))
        {
            assertEquals(List.of(target.resolve("notes.txt")), files.toList());
        }
        assertEquals("keep", Files.readString(target.resolve("notes.txt")));

        final Path inside = source.resolve("copy");
        final IllegalArgumentException insideStore = assertThrows(IllegalArgumentException.class,
            () -> Store.salvage(source, inside));
        assertTrue(insideStore.getMessage().contains("it is inside the damaged store"), insideStore.getMessage());
        assertFalse(Files.exists(inside));

        final IllegalArgumentException file = assertThrows(IllegalArgumentException.class,
            () -> Store.salvage(source, target.resolve("notes.txt")));
        assertTrue(file.getMessage().endsWith(": it is not a directory"), file.getMessage());

        assertEquals(ForklineException.Reason.NO_STORE,
            assertThrows(ForklineException.class, () -> Store.salvage(dir.resolve("none"), dir.resolve("new"))).reason());
        try (Stream<Path> siblings = Files.list(dir))
        {
            assertEquals(List.of("damaged", "salvaged"), siblings.map(p -> p.getFileName().toString()).sorted().toList(),
                "nothing written next to the target either");
        }
    }

    /** Needs permission to mount a tmpfs (root); skipped elsewhere. */
    @Test
    void aSalvageThatFailsWritesNothingAtTheTarget() throws Exception
    {
        record();
        // 96 MiB is below the free space a store keeps in reserve: the new store cannot be written
        final Path mount = Files.createDirectory(dir.resolve("small"));
        final Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        assumeTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0,
            "cannot mount a tmpfs here: " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try
        {
            final Path target = mount.resolve("salvaged");
            final ForklineException ex = assertThrows(ForklineException.class, () -> Store.salvage(source, target));
            assertEquals(ForklineException.Reason.DISK_FULL, ex.reason(), ex.getMessage());
            assertTrue(ex.getMessage().startsWith("salvage of " + source + " failed (nothing was written to " + target +
                "; the damaged store is unchanged): "), ex.getMessage());
            try (Stream<Path> left = Files.list(mount))
            {
                assertEquals(List.of(), left.toList(), "the partial copy is removed");
            }
        }
        finally
        {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStoreThatIsBeingWrittenIsNotSalvaged() throws Exception
    {
        record();
        try (Store writing = Store.open(source))
        {
            final ForklineException ex = assertThrows(ForklineException.class,
                () -> Store.salvage(source, dir.resolve("salvaged")));
            assertEquals(ForklineException.Reason.STORE_LOCKED, ex.reason());
            assertTrue(writing.sessions().contains("alpha"));
        }
        assertFalse(Files.exists(dir.resolve("salvaged")));
    }
}
