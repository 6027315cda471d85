/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The dev IdP's issuer, as its discovery names it (`http://localhost:PORT/`). */
  readonly VITE_ISSUER: string;
  readonly VITE_CLIENT_ID: string;
  readonly VITE_AUDIENCE: string;
  /** apps/api. */
  readonly VITE_API_URL: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
