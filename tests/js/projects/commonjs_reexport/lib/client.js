// The one client, module.exports itself.
const OpenAI = require("openai");

module.exports = new OpenAI();
