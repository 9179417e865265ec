package dev.forkline.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs each test of the class (or the annotated test) against a recording of its agent, kept as text in the
 * test resources: {@code <directory>/<TestClass>/<testMethod>.events.jsonl}, in the {@code events} format.
 * A test method takes a {@link Recording} parameter and drives its agent through {@link Recording#recorder()}
 * (or an adapter built on it).
 * <ul>
 *     <li>By default the test replays: every model and tool call is served from the recording and nothing goes
 *     to the network; a missing recording fails the test and says how to make one.</li>
 *     <li>With {@code -Dforkline.record=true} (or the environment variable {@code FORKLINE_RECORD=true}) the
 *     test runs live and, when it passes, writes its recording.</li>
 *     <li>A call that does not match the recording fails the test with the step, the kind of change and an
 *     excerpt of what was expected and what came.</li>
 * </ul>
 * {@code -Dforkline.recordings=DIR} puts the recordings somewhere else than {@link #directory()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ForklineExtension.class)
public @interface ForklineRecording
{
    /**
     * @return the directory of the recordings, relative to the working directory of the test run (a Maven
     * module's directory).
     */
    String directory() default "src/test/resources/forkline";
}
