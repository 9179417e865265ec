package dev.forkline.kernel.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The request hash as {@code docs/replay.md} specifies it, checked against the test vectors in
 * {@code request-hash-vectors.jsonl}: a file for clients in other languages, made with an implementation of the
 * specification written apart from this one. Each line is a request (or a tool call: {@code tool} and
 * {@code arguments}) with its canonical text and hash, or a request that is no JSON text ({@code "error": true}).
 */
class RequestHashVectorsTest
{
    private static List<JsonNode> vectors() throws IOException
    {
        final ObjectMapper mapper = new ObjectMapper();
        final List<JsonNode> vectors = new ArrayList<>();
        try (InputStream in = RequestHashVectorsTest.class.getResourceAsStream("/request-hash-vectors.jsonl");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                vectors.add(mapper.readTree(line));
            }
        }
        return vectors;
    }

    @Test
    void everyVectorHashesAsSpecified() throws IOException
    {
        final List<JsonNode> vectors = vectors();
        assertTrue(vectors.size() > 50, "the file is there and whole");
        int checked = 0;
        for (final JsonNode vector : vectors)
        {
            final String name = vector.get("name").asText();
            if (vector.path("error").asBoolean())
            {
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> RequestHash.of(vector.get("request").asText()), name);
                assertTrue(ex.getMessage().startsWith("not a JSON text"), name + ": " + ex.getMessage());
                checked++;
                continue;
            }
            final String canonical = vector.get("canonical").asText();
            final String hash = vector.get("hash").asText();
            if (vector.has("tool"))
            {
                assertEquals(hash, RequestHash.ofToolCall(vector.get("tool").asText(), vector.get("arguments").asText()), name);
            }
            else
            {
                final String request = vector.get("request").asText();
                assertEquals(canonical, RequestHash.canonical(request), name);
                assertEquals(hash, RequestHash.of(request), name);
                assertEquals(canonical, RequestHash.canonical(canonical), name + ": canonical text is its own canonical form");
            }
            assertEquals(hash, RequestHash.of(canonical), name + ": the canonical text hashes the same way");
            checked++;
        }
        assertEquals(vectors.size(), checked);
    }

    @Test
    void theVectorsTellApartWhatADoubleWouldConfuse() throws IOException
    {
        String seed = null;
        String nearest = null;
        for (final JsonNode vector : vectors())
        {
            if (vector.get("name").asText().startsWith("a 19-digit long"))
            {
                seed = vector.get("hash").asText();
            }
            if (vector.get("name").asText().startsWith("the double nearest"))
            {
                nearest = vector.get("hash").asText();
            }
        }
        assertNotNull(seed);
        assertNotEquals(seed, nearest);
    }
}
