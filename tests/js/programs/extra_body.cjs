// CommonJS, the key read by name, and the Python SDK's extra_body (the Cerebras page's Node
// example): openai-node sends it as a literal "extra_body" property.
const { OpenAI } = require("openai");

const client = new OpenAI({
  apiKey: process.env["OPENAI_API_KEY"],
});

async function main() {
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "think less" }],
    extra_body: {
      clear_thinking: false,
    },
  });
  console.log(completion.choices[0].message.content);
}

main();
