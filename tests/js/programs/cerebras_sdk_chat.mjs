// Written for the Cerebras TS SDK: key and base URL from its own environment variables, the
// TCP warming left on, a Cerebras-only param typed at the top level.
import Cerebras from "@cerebras/cerebras_cloud_sdk";

const client = new Cerebras();

const completion = await client.chat.completions.create({
  model: "gpt-oss-120b",
  messages: [{ role: "user", content: "hello from cerebras" }],
  reasoning_format: "parsed",
});
console.log(completion.choices[0].message.content);
