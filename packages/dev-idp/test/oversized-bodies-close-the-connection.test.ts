import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID } from '../src/index.js';
import { devIdpForFile } from './support.js';

const started = devIdpForFile();

// One socket at a time, kept alive: the request after a refused one goes on the same socket if it may.
let agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterEach(() => {
  agent.destroy();
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
});

interface Answer {
  status: number | undefined;
  connection: string | undefined;
  body: { error?: string };
}

function post(url: string, contentType: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', agent, headers: { 'content-type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, connection: res.headers.connection, body: JSON.parse(text) });
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

const FORM = 'application/x-www-form-urlencoded';
// Far over the 56 KiB limit, as the audit sent it.
const HUGE = 'a'.repeat(2_000_000);
const unknownRefreshToken = (value: string) =>
  new URLSearchParams({ grant_type: 'refresh_token', refresh_token: value, client_id: DEFAULT_CLIENT_ID });

describe('a request body over the limit', () => {
  it.each([
    ['a token request', 'token_endpoint', FORM, unknownRefreshToken(HUGE).toString()],
    [
      'a token request in JSON',
      'token_endpoint',
      'application/json',
      JSON.stringify(Object.fromEntries(unknownRefreshToken(HUGE))),
    ],
    ['a userinfo POST', 'userinfo_endpoint', FORM, new URLSearchParams({ access_token: HUGE }).toString()],
  ] as const)('in %s is answered 413 and ends the connection', async (_, endpoint, type, body) => {
    const url = started.discovery[endpoint];
    expect(await post(url, type, body)).toEqual({
      status: 413,
      connection: 'close',
      body: { error: 'invalid_request', error_description: 'request body too large' },
    });
    // The unread rest of the body is not taken for the next request: that one is answered as usual.
    const next = await post(started.discovery.token_endpoint, FORM, unknownRefreshToken('x').toString());
    expect(next).toMatchObject({ status: 400, connection: 'keep-alive', body: { error: 'invalid_grant' } });
  });
});
