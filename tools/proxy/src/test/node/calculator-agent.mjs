// The calculator agent of the proxy's tests on the openai npm package: a tool loop with real tools, whole or
// streamed (the SDK's own stream helper). Usage: node calculator-agent.mjs BASE_URL stream|whole [WRONG_BY]
// Prints one JSON line: {"answer": …} or {"error": {"status", "type", "body"}}.
import OpenAI from "openai";

const [baseURL, mode, wrongByText] = process.argv.slice(2);
const wrongBy = Number(wrongByText ?? "0");
const client = new OpenAI({ baseURL, apiKey: "sk-forklinetest0123456789abcdefghij", maxRetries: 0 });
const tool = (name) => ({
  type: "function",
  function: {
    name,
    description: `${name} two integers`,
    parameters: { type: "object", properties: { a: { type: "integer" }, b: { type: "integer" } }, required: ["a", "b"] },
  },
});
const run = (name, args) => {
  const { a, b } = JSON.parse(args);
  return String((name === "add" ? a + b : a * b) + wrongBy);
};

const messages = [
  { role: "system", content: "You are a calculator. Use the tools." },
  { role: "user", content: "What is (2 + 3) * 4?" },
];

async function complete() {
  const params = { model: "forkline-test-1", messages, tools: [tool("add"), tool("multiply")] };
  if (mode !== "stream") {
    return (await client.chat.completions.create(params)).choices[0].message;
  }
  const stream = client.chat.completions.stream({ ...params, stream_options: { include_usage: true } });
  return (await stream.finalChatCompletion()).choices[0].message;
}

try {
  for (let turn = 0; turn < 5; turn++) {
    const message = await complete();
    const calls = message.tool_calls ?? [];
    if (calls.length === 0) {
      console.log(JSON.stringify({ answer: message.content }));
      process.exit(0);
    }
    messages.push(message);
    for (const call of calls) {
      messages.push({ role: "tool", tool_call_id: call.id, content: run(call.function.name, call.function.arguments) });
    }
  }
  console.log(JSON.stringify({ error: { type: "no_answer" } }));
} catch (error) {
  console.log(JSON.stringify({ error: { status: error.status, type: error.type, body: error.error ?? null } }));
}
