/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's tRPC endpoint; defaults to http://localhost:8000/trpc. */
  readonly VITE_API_URL?: string;
  /** The server's OIDC_ISSUER, shown to admins who connect apps; defaults to `<origin of VITE_API_URL>/oidc`. */
  readonly VITE_OIDC_ISSUER?: string;
  /** The web app's origin, for links to its pages (the Security page); defaults to http://localhost:3000. */
  readonly VITE_WEB_URL?: string;
}
