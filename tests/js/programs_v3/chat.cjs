// The openai v3 API (openai@3.x): a Configuration, an OpenAIApi client, axios responses.
const { Configuration, OpenAIApi } = require("openai");

const configuration = new Configuration({
  apiKey: process.env.OPENAI_API_KEY,
  organization: "org-v3-program",
  basePath: "https://api.openai.com/v1",
});
const openai = new OpenAIApi(configuration);

async function main() {
  const chat = await openai.createChatCompletion({
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: "tell me a joke" }],
    clear_thinking: false,
  });
  console.log(chat.status, chat.data.choices[0].message.content);
  const text = await openai.createCompletion({
    model: "gpt-3.5-turbo-instruct",
    prompt: "Say hi",
    max_tokens: 5,
  });
  console.log(text.data.choices[0].text);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
