import { DEMO_USERS } from '@grantflow/dev-idp';
import vue from '@vitejs/plugin-vue';
import { defineConfig, loadEnv } from 'vite';
import { devBanner, idpStateDir } from './dev-banner.js';

export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, import.meta.dirname, 'VITE_'), ...process.env };
  // `pnpm dev` moves each app with IDP_PORT / API_PORT / DEMO_PORT; the page's defaults follow them.
  // Vite reads VITE_* from process.env after this config, so setting them here reaches the page.
  env.VITE_ISSUER = process.env.VITE_ISSUER = env.VITE_ISSUER || `http://localhost:${env.IDP_PORT || 4000}/`;
  env.VITE_API_URL = process.env.VITE_API_URL =
    env.VITE_API_URL || `http://localhost:${env.API_PORT || 3001}`;
  const port = Number(env.DEMO_PORT || env.VITE_PORT || 5173);
  return {
    plugins: [
      vue(),
      devBanner({
        issuer: env.VITE_ISSUER,
        apiUrl: env.VITE_API_URL,
        stateDir: idpStateDir(env.DEV_IDP_DIR),
      }),
    ],
    // The dev IdP's public demo accounts, shown on the home page (one source: @grantflow/dev-idp).
    define: {
      __DEMO_USERS__: JSON.stringify(
        DEMO_USERS.map(({ email, password, permissions }) => ({ email, password, permissions })),
      ),
    },
    // `pnpm dev` shows one banner (dev-banner.ts); Vite speaks up for warnings and errors only.
    logLevel: 'warn',
    server: { port, strictPort: true },
    preview: { port, strictPort: true },
  };
});
