import { describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClientOptions } from '../src/index.js';

const ISSUER = 'https://idp.example/';
const OTHER = 'https://other.example/';
const WELL_KNOWN = `${ISSUER}.well-known/openid-configuration`;
const metadata = (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}authorize`,
  token_endpoint: `${issuer}token`,
});

/** An authorization server that answers discovery with `answers` in turn (then the last), counting requests. */
function server(...answers: Array<(issuer: string) => Response>) {
  const requests: string[] = [];
  const fetch = async (url: string) => {
    requests.push(url);
    const issuer = url.replace('.well-known/openid-configuration', '');
    return (answers[requests.length - 1] ?? answers.at(-1)!)(issuer);
  };
  return { fetch, requests };
}

const found = (issuer: string) => Response.json(metadata(issuer));
const unavailable = () => new Response('busy', { status: 503 });

function client(fetch: AuthClientOptions['fetch'], issuer = ISSUER) {
  const navigations: string[] = [];
  const created = createAuthClient({
    issuer,
    clientId: 'app',
    redirectUri: 'https://app.example/callback',
    fetch,
    navigate: (url) => void navigations.push(url),
    environment: { sessionStorage: undefined, localStorage: undefined },
  });
  return { client: created, navigations };
}

describe('discovery is cached per issuer', () => {
  it('two clients of one issuer make one discovery request and both use its endpoints', async () => {
    const { fetch, requests } = server(found);
    const first = client(fetch);
    const second = client(fetch);
    await Promise.all([first.client.loginWithRedirect(), second.client.loginWithRedirect()]);
    await second.client.loginWithRedirect();
    expect(requests).toEqual([WELL_KNOWN]);
    for (const url of [...first.navigations, ...second.navigations]) {
      expect(url.startsWith(`${ISSUER}authorize?`)).toBe(true);
    }
  });

  it('a failed discovery is not remembered: the next call, by any client of the issuer, asks again', async () => {
    const { fetch, requests } = server(unavailable, found);
    const first = client(fetch);
    await expect(first.client.loginWithRedirect()).rejects.toThrow('discovery: HTTP 503');
    const second = client(fetch);
    await second.client.loginWithRedirect();
    await first.client.loginWithRedirect();
    expect(requests).toEqual([WELL_KNOWN, WELL_KNOWN]);
    expect(first.navigations).toHaveLength(1);
    expect(second.navigations).toHaveLength(1);
  });

  it('keeps issuers apart, and clients given another fetch (tests, proxies) to themselves', async () => {
    const shared = server(found);
    const own = server(found);
    await client(shared.fetch).client.loginWithRedirect();
    await client(shared.fetch, OTHER).client.loginWithRedirect();
    const isolated = client(own.fetch);
    await isolated.client.loginWithRedirect();
    expect(shared.requests).toEqual([WELL_KNOWN, `${OTHER}.well-known/openid-configuration`]);
    expect(own.requests).toEqual([WELL_KNOWN]);
    expect(isolated.navigations[0]!.startsWith(`${ISSUER}authorize?`)).toBe(true);
  });
});
