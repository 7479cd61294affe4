// CommonJS settings: the model id is read only by requests, in another module.
const CHAT_MODEL = "gpt-4o-mini";

module.exports = { CHAT_MODEL };
