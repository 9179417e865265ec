package dev.forkline.springai;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Boot application with Spring AI's OpenAI starter and this module on its class path, nothing else: what a
 * user's application is.
 */
@SpringBootApplication
public class BootAgentApplication
{
}
