// A front end's client (a Next.js page): the key comes from a variable the bundler inlines
// into the page, and dangerouslyAllowBrowser lets openai-node run there. Under node a browser
// is stood in for (openai-node looks for window, document and navigator), and so is the
// bundler, which fills the public variables from the build's environment.
globalThis.window = { document: {} };
globalThis.navigator ??= { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0" };
for (const name of ["OPENAI_API_KEY", "CEREBRAS_API_KEY"]) {
  if (process.env[name] !== undefined) process.env[`NEXT_PUBLIC_${name}`] ??= process.env[name];
}

const { default: OpenAI } = await import("openai");

const client = new OpenAI({
  apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY,
  dangerouslyAllowBrowser: true,
});

const completion = await client.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hello from the page" }],
});
console.log(completion.choices[0].message.content);
