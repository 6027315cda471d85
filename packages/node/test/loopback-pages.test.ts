import { describe, expect, it } from 'vitest';
import { AuthorizationError } from '@grantflow/core';
import { devIdpForFile, httpBrowser, tempDirs, testClient } from './support.js';

const started = devIdpForFile();
const tempDir = tempDirs();
const quiet = { print: () => undefined };

describe("the browser's last page after a loopback login", () => {
  it('sends the person back to the application, not to a terminal an app may not have', async () => {
    const { client } = testClient(started.idp.issuer, await tempDir());
    const browser = httpBrowser();
    await client.login({ openBrowser: browser.open, ...quiet });
    const { status, html } = await browser.visit;
    expect(status).toBe(200);
    expect(html).toContain('<p>You can close this tab and return to the application.</p>');
    expect(html).not.toContain('terminal');
  });

  it('names the app as appName says, escaped, on the failure page too', async () => {
    const { client } = testClient(started.idp.issuer, await tempDir());
    const browser = httpBrowser({ consent: 'deny' });
    const login = client.login({ openBrowser: browser.open, appName: '<Acme & "Co">', ...quiet });
    await expect(login).rejects.toBeInstanceOf(AuthorizationError);
    const { status, html } = await browser.visit;
    expect(status).toBe(400);
    expect(html).toContain(
      '<p>access_denied. You can close this tab; &#60;Acme &#38; &#34;Co&#34;&#62; says more.</p>',
    );
  });
});
