package dev.forkline.junit;

import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.DivergenceException;
import dev.forkline.kernel.replay.Recorder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The extension behind {@link ForklineRecording}. Before each test it opens a temporary store and, on replay,
 * loads the recording into it; it gives the test a {@link Recording}; after the test it closes the recorders
 * (a replay that made fewer calls than recorded fails there), checks that every recorded session was replayed,
 * writes the recording when recording a passing test, and removes the store.
 */
public final class ForklineExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ForklineExtension.class);
    private static final String KEY = "recording";

    private record State(Recording recording, Store store, Path directory, Set<String> recorded, String test)
    {
    }

    @Override
    public void beforeEach(final ExtensionContext context) throws IOException
    {
        final Class<?> testClass = context.getRequiredTestClass();
        final String method = context.getRequiredTestMethod().getName();
        final ForklineRecording annotation = AnnotationSupport.findAnnotation(context.getElement(), ForklineRecording.class)
            .or(() -> AnnotationSupport.findAnnotation(testClass, ForklineRecording.class))
            .orElseThrow(() -> new IllegalStateException("ForklineExtension needs @ForklineRecording on the test or its class"));
        final String test = testClass.getSimpleName() + "#" + method;
        final Path file = RecordingFiles.file(annotation.directory(), testClass, method);
        final boolean recording = RecordingFiles.recordMode();
        String text = null;
        if (!recording)
        {
            text = RecordingFiles.read(file, testClass, method);
            if (text == null)
            {
                throw new AssertionFailedError("no recording for " + test + " at " + file + ": " + RecordingFiles.howToRecord(test));
            }
        }
        final Path directory = Files.createTempDirectory("forkline-junit-");
        final Store store = Store.open(directory.resolve("store"));
        Set<String> recorded = Set.of();
        try
        {
            if (text != null)
            {
                recorded = EventsFile.load(file.toString(), text, store);
            }
        }
        catch (final RuntimeException ex)
        {
            close(store, directory);
            throw new AssertionFailedError("the recording " + file + " cannot be read: " + ex.getMessage() + "; " +
                RecordingFiles.howToRecord(test), ex);
        }
        context.getStore(NAMESPACE).put(KEY, new State(new Recording(store, file, recording, test, recorded), store, directory, recorded, test));
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context)
    {
        return parameter.getParameter().getType() == Recording.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context)
    {
        final State state = context.getStore(NAMESPACE).get(KEY, State.class);
        if (state == null)
        {
            throw new ParameterResolutionException("a Recording is given to test methods only (not to constructors or lifecycle methods)");
        }
        return state.recording();
    }

    @Override
    public void handleTestExecutionException(final ExtensionContext context, final Throwable error) throws Throwable
    {
        final State state = context.getStore(NAMESPACE).get(KEY, State.class);
        final DivergenceException divergence = Divergences.find(error);
        if (state != null && divergence != null)
        {
            throw Divergences.failure(divergence, state.recording().file(), state.test());
        }
        throw error;
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        final State state = context.getStore(NAMESPACE).remove(KEY, State.class);
        if (state == null)
        {
            return;
        }
        final boolean failed = context.getExecutionException().isPresent();
        try
        {
            final List<AssertionFailedError> problems = new ArrayList<>();
            final List<String> sessions = state.recording().sessions();
            final List<Recorder> recorders = state.recording().recorders();
            for (int i = 0; i < recorders.size(); i++)
            {
                try
                {
                    recorders.get(i).close();
                }
                catch (final DivergenceException ex)
                {
                    problems.add(Divergences.failure(ex, state.recording().file(), state.test()));
                }
                catch (final RuntimeException ex)
                {
                    problems.add(new AssertionFailedError("session '" + sessions.get(i) + "' of " + state.test() +
                        " was not ended: its agent made fewer calls than were recorded, or did not call end(status) (" +
                        ex.getMessage() + ")", ex));
                }
            }
            if (failed)
            {
                return;
            }
            if (!problems.isEmpty())
            {
                throw problems.get(0);
            }
            final Recording recording = state.recording();
            if (recording.isRecording())
            {
                if (recording.sessions().isEmpty())
                {
                    throw new AssertionFailedError(state.test() + " recorded nothing: it took no recorder from its Recording");
                }
                RecordingFiles.write(state.store(), recording.sessions(), recording.file());
                return;
            }
            for (final String session : state.recorded())
            {
                if (!recording.sessions().contains(session))
                {
                    throw new AssertionFailedError("the recording " + recording.file() + " has session '" + session +
                        "', which the test did not replay; " + RecordingFiles.howToRecord(state.test()));
                }
            }
        }
        finally
        {
            close(state.store(), state.directory());
        }
    }

    private static void close(final Store store, final Path directory)
    {
        store.close();
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove the temporary store " + directory, ex);
        }
    }
}
