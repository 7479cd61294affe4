// Written for the Cerebras TS SDK in a front end: the key from a variable the bundler inlines
// into the page, and no option to run in a browser (that SDK checks nothing). Under node a
// browser is stood in for (window, document, navigator: what openai-node looks for), and so
// is the bundler, which fills the public variables from the build's environment.
globalThis.window = { document: {} };
globalThis.navigator ??= { userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0" };
for (const name of ["OPENAI_API_KEY", "CEREBRAS_API_KEY"]) {
  if (process.env[name] !== undefined) process.env[`NEXT_PUBLIC_${name}`] ??= process.env[name];
}

const { default: Cerebras } = await import("@cerebras/cerebras_cloud_sdk");

const client = new Cerebras({ apiKey: process.env.NEXT_PUBLIC_CEREBRAS_API_KEY });

const completion = await client.chat.completions.create({
  model: "gpt-oss-120b",
  messages: [{ role: "user", content: "hello from the page" }],
});
console.log(completion.choices[0].message.content);
