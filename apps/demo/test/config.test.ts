import { afterEach, describe, expect, it, vi } from 'vitest';

// A run of slashes that does not end the value made /\/+$/ retry from each of them: 300,000 took
// over a minute, past this test's time limit; trimming from the end takes one pass.
const RUN = '/'.repeat(300_000);

/** The demo's config as a build with this `VITE_API_URL` reads it. */
async function apiUrlFrom(value: string): Promise<string> {
  vi.stubEnv('VITE_API_URL', value);
  vi.resetModules();
  return (await import('../src/config.js')).config.apiUrl;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('VITE_API_URL', () => {
  // The e2e project's two minutes per test would let the old pattern finish.
  it(
    'is taken without its trailing slashes, a long run of them inside it kept',
    { timeout: 20_000 },
    async () => {
      expect(await apiUrlFrom('https://api.example///')).toBe('https://api.example');
      expect(await apiUrlFrom('')).toBe('http://localhost:3001');
      expect(await apiUrlFrom(`https://api.example${RUN}v1`)).toBe(`https://api.example${RUN}v1`);
      expect(await apiUrlFrom(`https://api.example/v1${RUN}`)).toBe('https://api.example/v1');
    },
  );
});
