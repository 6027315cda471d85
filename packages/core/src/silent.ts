import { sameEndpoint } from './callback.js';
import { TimeoutError } from './errors.js';

/**
 * Runs an authorization request with `prompt=none` in a hidden iframe and resolves with the URL it is
 * redirected to. Only works where the redirect URI is same-origin with the app (it must be read back).
 */
export function silentAuthorize(
  doc: Document,
  url: string,
  redirectUri: string,
  timeout: number,
): Promise<string> {
  const target = new URL(redirectUri);
  const iframe = doc.createElement('iframe');
  iframe.setAttribute('aria-hidden', 'true');
  iframe.style.display = 'none';
  iframe.src = url;
  return new Promise<string>((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearInterval(poll);
      clearTimeout(timer);
      iframe.remove();
      settle();
    };
    // Polled rather than on `load`, so the redirect page is caught before its own scripts run for long.
    const poll = setInterval(() => {
      let href: string | undefined;
      try {
        href = iframe.contentWindow?.location.href;
      } catch {
        // cross-origin while the authorization server has the frame
      }
      const at = href && href !== 'about:blank' ? new URL(href) : undefined;
      if (at && sameEndpoint(at, target)) finish(() => resolve(at.href));
    }, 50);
    const timer = setTimeout(() => finish(() => reject(new TimeoutError('silent authorization'))), timeout);
    doc.body.appendChild(iframe);
  });
}
