// Neither the SDK nor a model id is named here: both come through other modules.
const { openai } = require("./lib");
const { CHAT_MODEL } = require("./config");
const client = require("./lib/client");

async function main() {
  const first = await openai.chat.completions.create({
    model: CHAT_MODEL,
    messages: [{ role: "user", content: "hello there" }],
    extra_body: { clear_thinking: false },
  });
  const second = await client.chat.completions.create({
    model: CHAT_MODEL,
    messages: [{ role: "user", content: "and again" }],
  });
  console.log(first.choices[0].message.content, second.choices[0].message.content);
}

main();
