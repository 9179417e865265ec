/**
 * Public API: the Spring AI adapter. {@link dev.forkline.springai.ForklineAdvisor} and
 * {@link dev.forkline.springai.ForklineSession} record, replay or fork a {@code ChatClient}'s tool loop;
 * {@link dev.forkline.springai.ForklineAutoConfiguration} and {@link dev.forkline.springai.ForklineProperties}
 * are public because Spring Boot instantiates and binds them. See {@code docs/integrations.md}.
 */
package dev.forkline.springai;
