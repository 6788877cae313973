/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's tRPC endpoint; defaults to http://localhost:8000/trpc. */
  readonly VITE_API_URL?: string;
}
