/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The OpenID provider. Default `http://localhost:4000/` (the dev IdP under `pnpm dev`; as in its discovery document). */
  readonly VITE_ISSUER?: string;
  /** Default `grantflow-demo`. */
  readonly VITE_CLIENT_ID?: string;
  /** The API the access token is for. Default the dev IdP's appointments audience. */
  readonly VITE_AUDIENCE?: string;
  /** apps/api. Default `http://localhost:3001`. */
  readonly VITE_API_URL?: string;
  /** Where tokens are kept: `memory` | `session` | `local` (default `local`, see README). */
  readonly VITE_STORAGE?: string;
  /** Seconds before expiry at which a cached access token is no longer used and is renewed. Default 60. */
  readonly VITE_LEEWAY?: string;
  /** `false`: plain Bearer tokens. Default: DPoP (RFC 9449), the key in IndexedDB. */
  readonly VITE_DPOP?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}

/** The dev IdP's demo accounts (vite.config.ts). */
declare const __DEMO_USERS__: readonly { email: string; password: string; permissions: string[] }[];
