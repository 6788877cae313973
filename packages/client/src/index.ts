export { createClient } from "./client";
export type { ClientOptions, VoiceAssistClient } from "./client";
export type { AppRouter, PublicUser, RouterInputs, RouterOutputs, TokenPair } from "@voiceassist/api";
export { TRPCClientError } from "@trpc/client";
