// The v3 API through a namespace import, the configuration made inline.
import * as openai from "openai";

const api = new openai.OpenAIApi(
  new openai.Configuration({ apiKey: "sk-proj-v3HardCodedKey0123456789abcdef", basePath: "https://api.openai.com/v1" }),
);

const { data } = await api.createChatCompletion({
  model: "gpt-4o-mini",
  messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello" }],
  temperature: 0,
});
console.log(data.choices[0].message.content);
