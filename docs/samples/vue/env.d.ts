/// <reference types="vite/client" />

// Typed Vite variables: `.env.local` holds the values for your machine (never commit secrets; an SPA
// has none, these are public settings).
interface ImportMetaEnv {
  readonly VITE_AUTH_DOMAIN?: string;
  readonly VITE_AUTH_ISSUER?: string;
  readonly VITE_AUTH_CLIENT_ID: string;
  readonly VITE_API_AUDIENCE: string;
  readonly VITE_API_URL: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
