package dev.forkline.tools;

import java.nio.file.Path;

/**
 * Session ids for imported files, from the file name, made to match {@code [A-Za-z0-9._:-]{1,128}}.
 */
final class SessionNames
{
    private static final int MAX_LENGTH = 128;

    private SessionNames()
    {
    }

    static String fromFile(final Path file)
    {
        String name = file.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        if (dot > 0)
        {
            name = name.substring(0, dot);
        }
        return sanitise(name);
    }

    static String sanitise(final String text)
    {
        final StringBuilder id = new StringBuilder(Math.min(text.length(), MAX_LENGTH));
        for (int i = 0; i < text.length() && id.length() < MAX_LENGTH; i++)
        {
            final char c = text.charAt(i);
            final boolean allowed = c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == ':' || c == '-');
            id.append(allowed ? c : '-');
        }
        return id.length() == 0 ? "imported" : id.toString();
    }
}
