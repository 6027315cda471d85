import type { Page } from './loopback-listener.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, message: string): Page {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#1f2933}h1{font-size:1.4rem}</style>
</head>
<body><h1>${escape(title)}</h1><p>${escape(message)}</p></body>
</html>
`;
  return { status, html };
}

/** Where the person goes back to, as the pages name it: the login's `appName`. */
const DEFAULT_APP = 'the application';

/** The page the browser shows once the app has its tokens. */
export const signedInPage = (appName = DEFAULT_APP): Page =>
  page(200, 'Signed in', `You can close this tab and return to ${appName}.`);

/** The page for a callback that did not end in tokens; the reason is the error code, never a token. */
export const failedPage = (reason: string, appName = DEFAULT_APP): Page =>
  page(400, 'Sign-in failed', `${reason}. You can close this tab; ${appName} says more.`);
