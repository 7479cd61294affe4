// The app's settings: no SDK here, and only requests read the model id.
export const CHAT_MODEL = "gpt-4o-mini";
export const TEMPERATURE = 0;
