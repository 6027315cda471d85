import { DEMO_USERS } from '@grantflow/dev-idp';
import vue from '@vitejs/plugin-vue';
import { defineConfig, loadEnv } from 'vite';
import { devBanner } from './dev-banner.ts';

export default defineConfig(({ mode }) => {
  const env = { ...loadEnv(mode, import.meta.dirname, 'VITE_'), ...process.env };
  const port = Number(env.DEMO_PORT || env.VITE_PORT || 5173);
  return {
    plugins: [
      vue(),
      devBanner({
        issuer: env.VITE_ISSUER || 'http://localhost:4000',
        apiUrl: env.VITE_API_URL || 'http://localhost:3001',
      }),
    ],
    // The dev IdP's public demo accounts, shown on the home page (one source: @grantflow/dev-idp).
    define: {
      __DEMO_USERS__: JSON.stringify(
        DEMO_USERS.map(({ email, password, permissions }) => ({ email, password, permissions })),
      ),
    },
    server: { port, strictPort: true },
    preview: { port, strictPort: true },
  };
});
