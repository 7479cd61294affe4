// A barrel: passes the client on without naming the SDK.
module.exports = { openai: require("./client") };
