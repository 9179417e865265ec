/**
 * Test support, not an API for users: a local scripted model server ({@link dev.forkline.testkit.ModelTestServer},
 * OpenAI chat completions and Anthropic messages, on 127.0.0.1) and the HTTP server under it. The tests of the
 * adapters, the proxy and the command line call it, and the proxy benchmark uses it as its upstream; the kernel,
 * the command line and the adapters never depend on it outside their tests.
 */
package dev.forkline.testkit;
