// The project's one client, made here and imported by the modules that send requests.
import OpenAI from "openai";

export const openai = new OpenAI();
