/**
 * The kernel's public API: open a {@link dev.forkline.kernel.Store}, append events through a
 * {@link dev.forkline.kernel.BranchWriter} (or atomically through a {@link dev.forkline.kernel.Batch}), read them
 * back with an {@link dev.forkline.kernel.EventCursor} or a {@link dev.forkline.kernel.JournalCursor}, fork, diff,
 * verify and salvage. The public classes are the API any agent runtime, adapter or tool may call; each says
 * which thread may call what.
 * <p>
 * Everything else in the package is package-private machinery (the ring and the journal thread, the index, the
 * descriptors of the on-disk layout, the hash chain, verify and salvage): no caller outside the kernel sees it.
 * {@code docs/architecture.md} lists what each class does.
 */
package dev.forkline.kernel;
