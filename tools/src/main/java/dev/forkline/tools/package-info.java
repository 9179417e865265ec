/**
 * The {@code forkline} command line (picocli) and the importers of other projects' trajectories. Not an API:
 * {@link dev.forkline.tools.Forkline} is public only as the launcher's main class; every command and importer
 * is package-private. See {@code docs/cli.md}.
 */
package dev.forkline.tools;
