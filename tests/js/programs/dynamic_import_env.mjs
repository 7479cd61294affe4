// The SDK loaded with import(), and keys read with Vite's and Deno's accessors (stood in
// for under node): each read keeps its accessor and fails closed when the key is unset.
import.meta.env = { ...process.env };
globalThis.Deno = { env: { get: (name) => process.env[name] } };

const { default: OpenAI } = await import("openai");
const Client = (await import("openai")).default;

const vite = new OpenAI({ apiKey: import.meta.env.OPENAI_API_KEY });
const deno = new Client({ apiKey: Deno.env.get("OPENAI_API_KEY") });

const first = await vite.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hello there" }],
});
const second = await deno.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: "and again" }],
  extra_body: { clear_thinking: false },
});
console.log(first.choices[0].message.content, second.choices[0].message.content);
