/**
 * Public API: export of a store to training data and to the {@code events} interchange format.
 * {@link dev.forkline.kernel.export.Exporter} with its {@link dev.forkline.kernel.export.ExportOptions} is what
 * users and the command line call; the package-private classes are the line writers, the session and
 * turn assembly and the secret redaction behind it. See {@code docs/export.md}.
 */
package dev.forkline.kernel.export;
