import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  ALICE,
  authorizeUrl,
  devIdpForFile,
  exchangeCode,
  pkcePair,
  REDIRECT_URI,
  type Discovery,
} from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

type Agent = ReturnType<typeof request.agent>;
type Request = ReturnType<Agent['get']>;

/** One request, its redirect not followed, whatever its status. */
const send = (req: Request) => req.redirects(0).ok(() => true);

/** Where the request for `url` goes: the IdP's origin is the agent's, so only the path and query. */
const pathOf = (url: URL) => `${url.pathname}${url.search}`;

/**
 * Follows the IdP's redirects and fills in its login and consent pages, as a browser would, until a
 * redirect leaves the IdP. Every cookie is kept and sent by the agent's own jar (RFC 6265).
 */
async function untilItLeaves(agent: Agent, issuer: string, first: Request): Promise<URL> {
  let answer = await send(first);
  let at = new URL(answer.request.url);
  for (let step = 0; step < 10; step++) {
    const location = answer.headers.location as string | undefined;
    if (location !== undefined) {
      at = new URL(location, at);
      if (at.origin !== new URL(issuer).origin) return at;
      answer = await send(agent.get(pathOf(at)));
      continue;
    }
    const action = /<form\b[^>]*\baction="([^"]*)"/.exec(answer.text)?.[1];
    if (action === undefined) throw new Error(`stopped at ${at.pathname} (${answer.status}): ${answer.text}`);
    at = new URL(action.replace(/&amp;/g, '&'), at);
    const fields = answer.text.includes('name="password"') ? ALICE : { decision: 'allow' };
    answer = await send(agent.post(pathOf(at)).type('form').send(fields));
  }
  throw new Error('too many steps');
}

async function expectCodeThatExchanges(discovery: Discovery, redirect: URL, verifier: string) {
  expect(redirect.searchParams.get('error')).toBeNull();
  const { status } = await exchangeCode(discovery, redirect.searchParams.get('code') ?? '', verifier);
  expect(status).toBe(200);
}

// superagent's agent (what supertest.agent() uses) never sends a Secure cookie over plain HTTP
// (RFC 6265 §5.4), as the dev IdP is spoken: its session cookie must work without `Secure`.
describe('a client with a standard cookie jar over plain HTTP', () => {
  it('signs in (login then consent), then signs in again silently with prompt=none', async () => {
    const { idp, discovery } = started;
    const agent = request.agent(new URL(idp.issuer).origin);

    const first = pkcePair();
    const url = authorizeUrl(discovery, first.challenge);
    const signedIn = await untilItLeaves(agent, idp.issuer, agent.get(pathOf(url)));
    await expectCodeThatExchanges(discovery, signedIn, first.verifier);

    const silent = pkcePair();
    const silentUrl = authorizeUrl(discovery, silent.challenge, { prompt: 'none' });
    const again = await untilItLeaves(agent, idp.issuer, agent.get(pathOf(silentUrl)));
    await expectCodeThatExchanges(discovery, again, silent.verifier);
  });

  it('signs in silently by a form POST to the authorization endpoint after signing in', async () => {
    const { idp, discovery } = started;
    const agent = request.agent(new URL(idp.issuer).origin);
    const first = authorizeUrl(discovery, pkcePair().challenge);
    await untilItLeaves(agent, idp.issuer, agent.get(pathOf(first)));

    const { verifier, challenge } = pkcePair();
    const form = Object.fromEntries(authorizeUrl(discovery, challenge, { prompt: 'none' }).searchParams);
    const posted = agent.post(new URL(discovery.authorization_endpoint).pathname).type('form').send(form);
    const again = await untilItLeaves(agent, idp.issuer, posted);
    await expectCodeThatExchanges(discovery, again, verifier);
  });
});
