package dev.forkline.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forkline.kernel.EventKind;
import dev.forkline.kernel.Store;
import dev.forkline.kernel.replay.ModelTurn;
import dev.forkline.kernel.replay.StepOverride;
import dev.forkline.kernel.replay.ToolCall;
import dev.forkline.kernel.replay.ToolResult;
import dev.forkline.proxy.ForklineProxy;
import dev.forkline.proxy.ProxyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "proxy", mixinStandardHelpOptions = true,
    description = {"An OpenAI- and Anthropic-compatible HTTP proxy that records an agent's model calls into the store,",
        "replays them without a model, or forks a recording at a step and goes live. Runs until Ctrl-C.",
        "  record:  forkline proxy --upstream URL",
        "  replay:  forkline proxy --replay [SESSION...]",
        "  fork:    forkline proxy --fork BRANCH@STEP --upstream URL [--override FILE]"})
final class ProxyCommand implements Callable<Integer>
{
    @Mixin
    CommonOptions options;

    @Option(names = "--upstream", paramLabel = "URL",
        description = "The model API to forward to, e.g. https://api.openai.com/v1 or https://api.anthropic.com.")
    String upstream;

    @Option(names = "--replay", arity = "0..*", paramLabel = "SESSION",
        description = "Answer from the recordings of these sessions or branches (none named: every session).")
    List<String> replay;

    @Option(names = "--fork", paramLabel = "BRANCH@STEP",
        description = "Serve BRANCH up to STEP, then fork there and go on live through --upstream.")
    String fork;

    @Option(names = "--override", paramLabel = "FILE",
        description = {"With --fork: the event at STEP, as for 'forkline fork':",
            "{\"kind\":\"tool.result\",\"data\":{\"content\":...}} or {\"kind\":\"model.response\",\"data\":{...}}."})
    Path override;

    @Option(names = "--on-divergence", paramLabel = "fail|fork", defaultValue = "fail",
        description = "With --replay: answer a request that differs from the recording with an error (fail, the default) " +
            "or fork there and go on live through --upstream (fork).")
    String onDivergence;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = ProxyConfig.DEFAULT_HOST + ":" + ProxyConfig.DEFAULT_PORT,
        description = "Where to listen (default: ${DEFAULT-VALUE}; loopback only unless told otherwise; port 0: any free port).")
    String listen;

    @Option(names = "--json", description = "Log one JSON object a line per exchange (default: a short text line).")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
        description = "How long the upstream may take to answer, and to send the next bytes of a stream (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "33554432",
        description = "The largest request body taken, and upstream response read (default: ${DEFAULT-VALUE}).")
    long maxBytes;

    @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "1000",
        description = "How many sessions are kept open at once; the least recently used idle one is ended past it " +
            "(default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final int modes = (upstream != null && replay == null && fork == null ? 1 : 0) + (replay != null ? 1 : 0) + (fork != null ? 1 : 0);
        if (modes != 1)
        {
            throw new InputException("proxy needs one of --upstream URL (record), --replay [SESSION...] or --fork BRANCH@STEP");
        }
        if (!"fail".equals(onDivergence) && !"fork".equals(onDivergence))
        {
            throw new InputException("--on-divergence is fail or fork, not '" + onDivergence + "'");
        }
        final boolean forkOnDivergence = replay != null && "fork".equals(onDivergence);
        if ((fork != null || forkOnDivergence) && upstream == null)
        {
            throw new InputException((fork != null ? "--fork" : "--on-divergence fork") + " goes live: it needs --upstream URL");
        }
        if (override != null && fork == null)
        {
            throw new InputException("--override goes with --fork BRANCH@STEP");
        }
        final URI upstreamUri = upstream == null ? null : upstreamUri(upstream);
        final String[] hostPort = hostPort(listen);
        final StepOverride stepOverride = override == null ? null : stepOverride(override);
        final PrintWriter out = spec.commandLine().getOut();
        final boolean readOnly = replay != null && !forkOnDivergence;
        final Store store = readOnly ? options.openReadOnly() : options.openForWriting();
        final ForklineProxy proxy;
        try
        {
            final ProxyConfig config = new ProxyConfig(store)
                .listen(hostPort[0], Integer.parseInt(hostPort[1]))
                .exchangeLog(line ->
                {
                    out.println(line);
                    out.flush();
                }, json)
                .upstreamTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)))
                .maxBytes(maxBytes, maxBytes)
                .capacity(Math.max(1, maxSessions), 256);
            if (replay != null)
            {
                config.replay(replay);
                if (forkOnDivergence)
                {
                    config.forkOnDivergence(upstreamUri);
                }
            }
            else if (fork != null)
            {
                final StepRef ref = StepRef.parse(fork);
                if (!ref.hasStep())
                {
                    throw new InputException("--fork needs BRANCH@STEP, got '" + fork + "'");
                }
                config.fork(ref.branch(), ref.step(), stepOverride, upstreamUri);
            }
            else
            {
                config.record(upstreamUri);
            }
            proxy = ForklineProxy.start(config);
        }
        catch (final RuntimeException ex)
        {
            store.close();
            throw ex;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            proxy.close();
            store.close();
            stopped.countDown();
        }, "forkline-proxy-stop"));
        announce(out, proxy, store.directory());
        stopped.await();
        return Forkline.EXIT_OK;
    }

    private void announce(final PrintWriter out, final ForklineProxy proxy, final Path store)
    {
        final String address = proxy.address().toString();
        final String what = replay != null ? "replaying " + (replay.isEmpty() ? "every session" : String.join(", ", replay)) + " from " + store :
            fork != null ? "forking " + fork + " in " + store + ", live through " + upstream : "recording into " + store + " through " + upstream;
        if (json)
        {
            final ObjectNode line = Json.MAPPER.createObjectNode().put("event", "listening").put("address", address)
                .put("what", what).put("openai_base_url", address + "/v1").put("anthropic_base_url", address)
                .put("loopback", proxy.isLoopback());
            out.println(Json.write(line));
        }
        else
        {
            out.println("forkline proxy: " + what);
            out.println("listening on " + address + (proxy.isLoopback() ? "" : "  (not loopback: reachable from other machines)"));
            out.println("point a client at it:");
            out.println("  OpenAI SDKs:    OPENAI_BASE_URL=" + address + "/v1");
            out.println("  Anthropic SDKs: ANTHROPIC_BASE_URL=" + address);
            out.println("  name a session: header X-Forkline-Session: NAME, or base URL " + address + "/s/NAME/v1");
            out.println("Ctrl-C stops it: open sessions are ended and the store is closed.");
        }
        out.flush();
    }

    private static URI upstreamUri(final String text)
    {
        final URI uri;
        try
        {
            uri = URI.create(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InputException("--upstream '" + text + "' is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null)
        {
            throw new InputException("--upstream '" + text + "' is not an http:// or https:// URL");
        }
        return uri;
    }

    private static String[] hostPort(final String text)
    {
        final int colon = text.lastIndexOf(':');
        final String port = colon < 0 ? "" : text.substring(colon + 1);
        if (colon <= 0 || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit) ||
            Integer.parseInt(port) > 65535)
        {
            throw new InputException("--listen '" + text + "' is not HOST:PORT with PORT from 0 to 65535");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, port};
    }

    /**
     * @return the override of a {@code tool.result} or {@code model.response} event file, as {@code fork} reads it.
     */
    static StepOverride stepOverride(final Path file)
    {
        final ForkCommand.OverrideEvent event = ForkCommand.readOverride(file);
        final JsonNode data;
        try
        {
            data = Json.MAPPER.readTree(event.data());
        }
        catch (final IOException ex)
        {
            throw new InputException(file + ": data is not JSON");
        }
        if (event.kind() == EventKind.TOOL_RESULT)
        {
            if (!data.path("content").isTextual())
            {
                throw new InputException(file + ": a tool.result override needs \"content\", a string");
            }
            return StepOverride.toolResult(new ToolResult(data.get("content").asText(), data.path("error").asBoolean(false)));
        }
        if (event.kind() == EventKind.MODEL_RESPONSE)
        {
            final List<ToolCall> calls = new ArrayList<>();
            for (final JsonNode call : data.path("tool_calls"))
            {
                if (!call.path("name").isTextual())
                {
                    throw new InputException(file + ": every tool call of a model.response override needs a \"name\"");
                }
                final JsonNode arguments = call.path("arguments");
                calls.add(new ToolCall(call.path("id").asText(null), call.get("name").asText(),
                    arguments.isTextual() ? arguments.asText() : arguments.isMissingNode() ? "{}" : Json.write(arguments)));
            }
            final JsonNode content = data.get("content");
            final JsonNode usage = data.get("usage");
            return StepOverride.modelTurn(new ModelTurn(content == null || content.isNull() ? null : content.asText(), calls,
                data.path("model").asText(null), usage == null || usage.isNull() ? null : Json.write(usage)));
        }
        throw new InputException(file + ": the proxy overrides a tool.result or a model.response, not a " + event.kind().wireName());
    }
}
