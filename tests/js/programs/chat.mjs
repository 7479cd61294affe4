// A chat request with a client configured from the environment, as most code does.
import OpenAI from "openai";

const client = new OpenAI();

const completion = await client.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hello there" }],
  temperature: 0,
});
console.log(completion.choices[0].message.content);
