import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { TimeoutError } from '../src/errors.js';
import { platformTimers } from '../src/environment.js';
import { hiddenIframe, silentAuthorize } from '../src/silent.js';
import { offlineClient, startIdp, testClient } from './support.js';

interface FakeFrame {
  src: string;
  style: Record<string, string>;
  attributes: Record<string, string>;
  contentWindow: { location: { href: string } } | undefined;
  removed: boolean;
  setAttribute(name: string, value: string): void;
  remove(): void;
}

/**
 * Just enough of a DOM for a hidden iframe: Node has none. `onAppend` plays the browser, deciding where
 * the frame ends up.
 */
function fakeDocument(onAppend: (frame: FakeFrame) => void) {
  const frames: FakeFrame[] = [];
  const document = {
    createElement: (tag: string) => {
      // Anything but an iframe would not load the authorization request.
      if (tag !== 'iframe') throw new Error(`a <${tag}> is no frame`);
      const frame: FakeFrame = {
        src: '',
        style: {},
        attributes: {},
        // Cross-origin while the authorization server has it: reading the location throws.
        contentWindow: {
          get location(): { href: string } {
            throw new DOMException('Blocked a frame', 'SecurityError');
          },
        },
        removed: false,
        setAttribute(name, value) {
          this.attributes[name] = value;
        },
        remove() {
          this.removed = true;
        },
      };
      frames.push(frame);
      return frame;
    },
    body: { appendChild: (frame: FakeFrame) => onAppend(frame) },
  };
  return { document: document as unknown as Document, frames };
}

/** Follows the authorize request like the frame would, to wherever the server redirects it. */
const navigateFrame = async (frame: FakeFrame) => {
  const response = await fetch(frame.src, { redirect: 'manual' });
  frame.contentWindow = { location: { href: new URL(response.headers.get('location')!, frame.src).href } };
};

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

describe('silentAuthorize', () => {
  it('resolves with the URL the hidden frame lands on at the redirect URI, and removes the frame', async () => {
    const { document, frames } = fakeDocument((frame) => {
      setTimeout(() => {
        frame.contentWindow = { location: { href: 'https://app.example/cb?code=c&state=s' } };
      }, 60);
    });
    await expect(
      silentAuthorize(
        document,
        'https://idp.example/authorize?prompt=none',
        'https://app.example/cb',
        2000,
        platformTimers,
      ),
    ).resolves.toBe('https://app.example/cb?code=c&state=s');
    expect(frames[0]).toMatchObject({
      src: 'https://idp.example/authorize?prompt=none',
      style: { display: 'none' },
      removed: true,
    });
    expect(frames[0]!.attributes['aria-hidden']).toBe('true');
  });

  it('gives up after the timeout and removes the frame', async () => {
    const { document, frames } = fakeDocument(() => undefined);
    await expect(
      silentAuthorize(document, 'https://idp.example/a', 'https://app.example/cb', 120, platformTimers),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(frames[0]!.removed).toBe(true);
  });
});

describe('checkSession without a refresh token, with the hidden iframe module', () => {
  it('asks the real server with prompt=none and ends unauthenticated on login_required', async () => {
    const { document, frames } = fakeDocument((frame) => void navigateFrame(frame));
    const { client, tokenRequests } = testClient(idp.issuer, {
      silentAuthorization: hiddenIframe(),
      environment: { document },
    });
    await client.checkSession();
    expect(new URL(frames[0]!.src).searchParams.get('prompt')).toBe('none');
    expect(new URL(frames[0]!.src).searchParams.get('code_challenge_method')).toBe('S256');
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    expect(tokenRequests).toHaveLength(0);
    client.destroy();
  });

  for (const [stored, claims] of [
    ['nothing stored', undefined],
    ['a stored session dropped', {}],
  ] as const) {
    it(`ends unauthenticated when prompt=none is answered access_denied (${stored})`, async () => {
      // The server refuses this user a session here (Auth0: a rule or action, an organization): as good
      // as signed out (OIDC Core §3.1.2.6 answers a refused request with RFC 6749's access_denied).
      const { document, frames } = fakeDocument((frame) => {
        const asked = new URL(frame.src).searchParams;
        const answer = new URL(asked.get('redirect_uri')!);
        answer.search = new URLSearchParams({
          error: 'access_denied',
          state: asked.get('state')!,
        }).toString();
        frame.contentWindow = { location: { href: answer.href } };
      });
      const { client, storage, requests } = offlineClient({ claims }, () => Promise.reject(new Error('no')), {
        silentAuthorization: hiddenIframe(),
        environment: { document },
      });
      await expect(client.checkSession()).resolves.toBeUndefined();
      expect(new URL(frames[0]!.src).searchParams.get('prompt')).toBe('none');
      expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
      expect(await storage.get('grantflow.app.session')).toBeUndefined();
      expect(requests).toEqual([]);
      client.destroy();
    });
  }

  it('ends within the timeout with an error when the frame never comes back', async () => {
    const { client } = testClient(idp.issuer, {
      timeout: 1000,
      silentAuthorization: hiddenIframe(),
      environment: { document: fakeDocument(() => undefined).document },
    });
    await expect(client.checkSession()).rejects.toBeInstanceOf(TimeoutError);
    expect(client.getSnapshot()).toMatchObject({ status: 'error', isLoading: false, isAuthenticated: false });
    client.destroy();
  });
});

describe('checkSession without a refresh token nor the hidden iframe module', () => {
  it('ends unauthenticated at once, with no frame and no request', async () => {
    const { document, frames } = fakeDocument(() => undefined);
    const { client, tokenRequests } = testClient(idp.issuer, { environment: { document } });
    await client.checkSession();
    expect(frames).toEqual([]);
    expect(tokenRequests).toEqual([]);
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    client.destroy();
  });
});
