import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import { alice, expectStatus, lastApiStatus, signIn, signInAtIdp, stack } from './demo.js';

const browser = useBrowser();

/** The demo's stored access token (the core's cache in localStorage). */
function storedAccessToken(page: Page): Promise<string> {
  return page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('grantflow.grantflow-demo.session') ?? '{}');
    return Object.values(session.tokens as Record<string, { access_token: string }>)[0]!.access_token;
  });
}

/** What the page's own scripts can do with the DPoP key pair stored in IndexedDB. */
function storedKey(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('grantflow-dpop');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const pair = await new Promise<CryptoKeyPair>((resolve, reject) => {
      const request = db.transaction('keys').objectStore('keys').get('grantflow-demo');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    const exported = await crypto.subtle.exportKey('jwk', pair.privateKey).then(
      () => 'exported',
      (error: DOMException) => error.name,
    );
    const { x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return { exported, extractable: pair.privateKey.extractable, publicKey: `${x}.${y}` };
  });
}

async function openAppointments(page: Page) {
  await page.getByRole('link', { name: 'Appointments', exact: true }).click();
  await expect.poll(() => lastApiStatus(page)).toBe('200');
}

describe('DPoP in the browser', () => {
  it('signs in with DPoP: the API answers 200, and the same token as Bearer from outside is refused', async () => {
    const context = await browser.newContext();
    const sent: Record<string, string>[] = [];
    context.on('request', (request) => {
      if (request.url().startsWith(`${stack.apiUrl}/api/appointments`))
        void request.allHeaders().then((h) => sent.push(h));
    });
    const page = await context.newPage();
    await signIn(page, alice);
    expect(await page.getByTestId('token-type').textContent()).toBe('DPoP');
    await openAppointments(page);
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    const headers = sent.find((h) => h.authorization)!;
    expect(headers.authorization).toMatch(/^DPoP ey/);
    expect(headers.dpop).toMatch(/^ey[\w-]+\.ey[\w-]+\.[\w-]+$/);

    const token = await storedAccessToken(page);
    const asBearer = await fetch(`${stack.apiUrl}/api/appointments`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(asBearer.status).toBe(401);
    expect(await asBearer.json()).toMatchObject({ error: 'invalid_token' });
    // The captured proof does not help either: it was spent, and names the page's request.
    const replayed = await fetch(`${stack.apiUrl}/api/appointments`, {
      headers: { Authorization: `DPoP ${token}`, DPoP: headers.dpop! },
    });
    expect(replayed.status).toBe(401);
  });

  it('keeps the private key non-extractable, and the same key (and session) after a reload', async () => {
    const page = await browser.newPage();
    await signIn(page, alice);
    const before = await storedKey(page);
    expect(before.exported).toBe('InvalidAccessError');
    expect(before.extractable).toBe(false);

    await page.reload();
    await expectStatus(page, 'authenticated');
    expect((await storedKey(page)).publicKey).toBe(before.publicKey);
    await openAppointments(page);
  });

  it('follows server nonces at the IdP and at the API without user-visible errors', async () => {
    const { nonces } = stack;
    const context = await browser.newContext();
    const answers: string[] = [];
    const all: string[] = [];
    context.on('response', (response) => {
      const url = response.url();
      all.push(`${response.request().method()} ${url} ${response.status()}`);
      if (url === new URL('/oauth/token', nonces.issuer).href) answers.push(`token ${response.status()}`);
      if (url.startsWith(new URL('/api/', nonces.apiUrl).href)) answers.push(`api ${response.status()}`);
    });
    const page = await context.newPage();
    await page.goto(`${nonces.demo}/`);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await signInAtIdp(page, alice, nonces.issuer);
    await expectStatus(page, 'authenticated');
    expect(await page.getByTestId('token-type').textContent()).toBe('DPoP');
    await openAppointments(page);
    // One retry each, with the nonce the server handed out; nothing shown to the user.
    expect(answers, all.join('\n')).toEqual(['token 400', 'token 200', 'api 401', 'api 200']);
    expect(await page.getByTestId('last-error').textContent()).toBe('none');
    expect(page.url()).toBe(`${nonces.demo}/appointments`);
  });
});
