package dev.forkline.testkit;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides the test server's reply to each model request. A script that answers from the request alone (the
 * conversation so far) is deterministic also when several agents call the server at once.
 */
@FunctionalInterface
public interface Script
{
    /**
     * @return the reply to {@code request}; an exception becomes a 500 response.
     */
    Reply reply(ChatTurnRequest request);

    /**
     * @return a script that gives these replies in order, one a request, and fails past the last.
     */
    static Script inOrder(final Reply... replies)
    {
        final List<Reply> list = List.of(replies);
        final AtomicInteger next = new AtomicInteger();
        return request ->
        {
            final int n = next.getAndIncrement();
            if (n >= list.size())
            {
                throw new IllegalStateException("the script has " + list.size() + " replies; request " + (n + 1) + " came");
            }
            return list.get(n);
        };
    }
}
