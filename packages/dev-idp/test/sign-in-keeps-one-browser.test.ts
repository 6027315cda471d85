import { describe, expect, it } from 'vitest';
import { CookieJar, signIn } from '../src/index.js';
import { ALICE, REDIRECT_URI, authorizeUrl, devIdpForFile, pkcePair } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

const silentUrl = () => authorizeUrl(started.discovery, pkcePair().challenge, { prompt: 'none' });

describe('signIn with a cookie jar', () => {
  it('is one browser across calls: a later prompt=none finds the session the sign-in started', async () => {
    const jar = new CookieJar();
    expect(
      (await signIn(authorizeUrl(started.discovery, pkcePair().challenge), ALICE, { jar })).searchParams.get(
        'code',
      ),
    ).toBeTruthy();
    const silent = await signIn(silentUrl(), ALICE, { jar });
    expect(silent.searchParams.get('error')).toBeNull();
    expect(silent.searchParams.get('code')).toBeTruthy();
  });

  it('is a fresh browser each call without one', async () => {
    await signIn(authorizeUrl(started.discovery, pkcePair().challenge), ALICE);
    expect((await signIn(silentUrl(), ALICE)).searchParams.get('error')).toBe('login_required');
  });
});
