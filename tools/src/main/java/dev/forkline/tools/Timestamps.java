package dev.forkline.tools;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Event times as text. The interchange format writes UTC with microseconds
 * ({@code 2026-11-29T17:00:00.123456Z}), or nanoseconds when the time has them, so that import then
 * export gives the same text back.
 */
final class Timestamps
{
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HUMAN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Timestamps()
    {
    }

    static String iso(final long epochNanos)
    {
        final Instant instant = toInstant(epochNanos);
        final int nanos = instant.getNano();
        final StringBuilder out = new StringBuilder(30).append(SECONDS.format(instant)).append('.');
        final String fraction = Integer.toString(nanos % 1000 == 0 ? nanos / 1000 : nanos);
        final int width = nanos % 1000 == 0 ? 6 : 9;
        for (int i = fraction.length(); i < width; i++)
        {
            out.append('0');
        }
        return out.append(fraction).append('Z').toString();
    }

    /**
     * @return the time of day, {@code HH:mm:ss.SSS} UTC.
     */
    static String clock(final long epochNanos)
    {
        return CLOCK.format(toInstant(epochNanos));
    }

    /**
     * @return {@code yyyy-MM-dd HH:mm:ss} UTC.
     */
    static String human(final long epochNanos)
    {
        return HUMAN.format(toInstant(epochNanos));
    }

    /**
     * Parses an ISO-8601 instant; a time without a zone (as OpenHands writes) is taken as UTC.
     *
     * @throws IllegalArgumentException when the text is not a time.
     */
    static long parse(final String text)
    {
        Instant instant;
        try
        {
            instant = Instant.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            try
            {
                instant = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
            catch (final DateTimeParseException ex2)
            {
                throw new IllegalArgumentException("not an ISO-8601 time: '" + text + "'");
            }
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static Instant toInstant(final long epochNanos)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
