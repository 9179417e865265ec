package dev.forkline.junit;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergencePolicy;
import dev.forkline.kernel.replay.Recorder;
import dev.forkline.kernel.replay.SessionStart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recording of one test, given to the test method as a parameter by {@link ForklineRecording}. Each agent
 * of the test records into (or replays) a session of its own name; {@link #recorder()} is the session
 * {@value #DEFAULT_SESSION}.
 * <p>
 * Threading: get the recorders on any thread; each recorder serves one agent, one thread at a time (see {@link Recorder}).
 */
public final class Recording
{
    /** The session of {@link #recorder()}. */
    public static final String DEFAULT_SESSION = "agent";

    private final Store store;
    private final Path file;
    private final boolean recording;
    private final String test;
    private final Set<String> recorded;
    private final Map<String, Recorder> recorders = new LinkedHashMap<>();

    Recording(final Store store, final Path file, final boolean recording, final String test, final Set<String> recorded)
    {
        this.store = store;
        this.file = file;
        this.recording = recording;
        this.test = test;
        this.recorded = recorded;
    }

    /**
     * @return the recorder of the session {@value #DEFAULT_SESSION}.
     */
    public Recorder recorder()
    {
        return recorder(DEFAULT_SESSION);
    }

    /**
     * @param session the agent's session id ({@code [A-Za-z0-9._:-]{1,128}}); the same id gives the same recorder.
     * @return a live recorder when recording; else a replay of that session of the recording. The extension closes
     * it after the test (a replay may be used on any thread, one at a time; see {@link Recorder}).
     * @throws org.opentest4j.AssertionFailedError on replay, when the recording has no such session.
     */
    public synchronized Recorder recorder(final String session)
    {
        final Recorder existing = recorders.get(session);
        if (existing != null)
        {
            return existing;
        }
        final Recorder recorder;
        if (recording)
        {
            recorder = Recorder.live(store.startSession(session, SessionStart.of("junit").withTag("test", test)));
        }
        else
        {
            if (!recorded.contains(session))
            {
                throw new org.opentest4j.AssertionFailedError("the recording " + file + " has no session '" + session +
                    "' (it has: " + String.join(", ", recorded) + "); " + RecordingFiles.howToRecord(test));
            }
            recorder = Recorder.replay(store, session, DivergencePolicy.FAIL);
        }
        recorders.put(session, recorder);
        return recorder;
    }

    /**
     * @return the store the recorders write into (recording) or read from (replay): a temporary one, removed
     * after the test.
     */
    public Store store()
    {
        return store;
    }

    /**
     * @return true when the test runs live and writes its recording; false when it replays.
     */
    public boolean isRecording()
    {
        return recording;
    }

    /**
     * @return the recording's file.
     */
    public Path file()
    {
        return file;
    }

    synchronized List<String> sessions()
    {
        return new ArrayList<>(recorders.keySet());
    }

    synchronized List<Recorder> recorders()
    {
        return new ArrayList<>(recorders.values());
    }
}
