/**
 * Examples, not a library: {@link dev.forkline.examples.ReferenceAgent}, a small scripted ReAct agent with real
 * tools, written on the kernel's public API only. The {@code forkline demo} command runs it; users read it as a
 * model for their own agents. Nothing in the kernel depends on it.
 */
package dev.forkline.examples;
