// The model comes from config.mjs, the client from lib/openai.mjs: neither is named here.
import { CHAT_MODEL, TEMPERATURE } from "./config.mjs";
import { openai } from "./lib/openai.mjs";

async function ask(content, model = "gpt-4o-mini") {
  const completion = await openai.chat.completions.create({ model, messages: [{ role: "user", content }] });
  return completion.choices[0].message.content;
}

const completion = await openai.chat.completions.create({
  model: CHAT_MODEL,
  temperature: TEMPERATURE,
  messages: [{ role: "user", content: "hello there" }],
});
console.log(completion.choices[0].message.content, await ask("and again"));
