package dev.forkline.testkit;

import java.io.IOException;

/**
 * Answers the requests of one method and path of a {@link LocalHttpServer}.
 */
@FunctionalInterface
public interface HttpRoute
{
    /**
     * Reads the request and writes the whole response before it returns (the server completes it then).
     * An exception becomes a 500 response with a JSON error body, when nothing was written yet.
     */
    void handle(HttpExchange exchange) throws IOException;
}
