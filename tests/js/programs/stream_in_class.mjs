// A client kept in a class field, a streamed request and a Cerebras-only param at the top level.
import * as openai from "openai";

class Assistant {
  client = new openai.OpenAI({ apiKey: "sk-proj-e2eHardCodedKey0123456789abcdef" });

  async ask(question) {
    const stream = await this.client.chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [{ role: "user", content: question }],
      stream: true,
      reasoning_format: "parsed",
    });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    return text;
  }
}

console.log(await new Assistant().ask("stream this"));
