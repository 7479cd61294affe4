// TypeScript on the v3 types: what the migration writes must type-check against them. The
// Cerebras-only param at the top level is an excess-property error until it is spread in.
import { Configuration, OpenAIApi, type CreateChatCompletionResponse } from "openai";

const configuration = new Configuration({ apiKey: process.env.OPENAI_API_KEY, organization: "org-1" });
const openai = new OpenAIApi(configuration);

export async function ask(question: string): Promise<string | undefined> {
  const res = await openai.createChatCompletion({
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: question }],
    max_tokens: 20,
    clear_thinking: false,
  });
  const data: CreateChatCompletionResponse = res.data;
  return data.choices[0].message?.content;
}

export async function complete(prompt: string): Promise<string | undefined> {
  const res = await openai.createCompletion({ model: "gpt-3.5-turbo-instruct", prompt });
  return res.data.choices[0].text;
}
