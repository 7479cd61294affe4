// A chat client that moves to Cerebras and a client used only for embeddings, which
// Cerebras does not serve: that one stays on OpenAI, with the OpenAI key.
import OpenAI from "openai";

const chat = new OpenAI();
const embedder = new OpenAI();

const vectors = await embedder.embeddings.create({
  model: "text-embedding-3-small",
  input: "tell me a joke",
});
const reply = await chat.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "tell me a joke" }],
});
console.log(vectors.data[0].embedding.length, reply.choices[0].message.content);
