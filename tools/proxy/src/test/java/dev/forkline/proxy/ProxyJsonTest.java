package dev.forkline.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ProxyJsonTest
{
    @Test
    void canonicalArgumentsKeepEveryDigitOfTheirNumbers()
    {
        assertEquals("{\"a\":9007199254740993,\"b\":0.1000000000000000000001}",
            ProxyJson.canonicalOrSelf("{ \"b\": 0.1000000000000000000001, \"a\": 9007199254740993 }"));
        assertNotEquals(ProxyJson.canonicalOrSelf("{\"a\":9007199254740993}"), ProxyJson.canonicalOrSelf("{\"a\":9007199254740992}"),
            "two numbers a double cannot tell apart stay apart");
        assertEquals(ProxyJson.canonicalOrSelf("{\"a\":1}"), ProxyJson.canonicalOrSelf("{\"a\":1.0}"), "one number, as JSON means it");
    }

    @Test
    void argumentsThatAreNotJsonStayAsTheyCame()
    {
        assertEquals("not json", ProxyJson.canonicalOrSelf("not json"));
        assertEquals("{broken", ProxyJson.canonicalOrSelf("{broken"));
        assertEquals("", ProxyJson.canonicalOrSelf(""));
        assertNull(ProxyJson.canonicalOrSelf(null));
    }
}
