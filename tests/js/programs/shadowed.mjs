// A module client, and a helper whose unrelated parameter is also named `client`: the
// request on the module's client is migrated (its extra_body flattened), the helper left.
import OpenAI from "openai";

const client = new OpenAI();

function describe(client) {
  return `${client.name} (${client.tier})`;
}

async function ask(question) {
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: question }],
    extra_body: { min_tokens: 1 },
  });
  return completion.choices[0].message.content;
}

console.log(describe({ name: "acme", tier: "free" }));
console.log(await ask("hello there"));
