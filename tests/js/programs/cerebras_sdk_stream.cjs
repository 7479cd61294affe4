// CommonJS with the Cerebras TS SDK: require returns the class; the key read by name, a
// streamed request with a Cerebras-only param, and its errors through the class.
const Cerebras = require("@cerebras/cerebras_cloud_sdk");

const client = new Cerebras({
  apiKey: process.env.CEREBRAS_API_KEY,
  warmTCPConnection: false,
});

async function main() {
  try {
    const stream = await client.chat.completions.create({
      model: "zai-glm-4.7",
      messages: [{ role: "user", content: "stream from cerebras" }],
      stream: true,
      clear_thinking: false,
    });
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    console.log(text);
  } catch (e) {
    if (e instanceof Cerebras.APIError) console.log("api error", e.status);
    else throw e;
  }
}

main();
