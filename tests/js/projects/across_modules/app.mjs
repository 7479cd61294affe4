// Never names the SDK: its requests are migrated because lib/openai.mjs's client moves.
import { openai } from "./lib/openai.mjs";

const completion = await openai.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hello there" }],
  extra_body: { clear_thinking: false },
});
console.log(completion.choices[0].message.content);
