/**
 * The OpenAI- and Anthropic-compatible record, replay and fork proxy. Public API:
 * {@link dev.forkline.proxy.ForklineProxy} and its {@link dev.forkline.proxy.ProxyConfig}, which the command line
 * and an application that embeds the proxy call; the protocol codecs, session table and upstream client are
 * package-private. See {@code docs/proxy.md}.
 */
package dev.forkline.proxy;
