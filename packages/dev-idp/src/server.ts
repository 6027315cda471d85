import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveConfig, resolveIssuer } from './config.js';
import { createInteractionRoutes } from './interactions.js';
import { generateSecrets, loadOrCreateSecrets } from './keys.js';
import { listenLoopback } from './listen.js';
import { createProvider } from './provider.js';
import type { DevIdp, DevIdpOptions } from './types.js';
import { createFileAdapter } from './file-adapter.js';
import { banner } from './banner.js';
import { invitationLinks } from './organizations.js';
import { insideMount, mountPathOf } from './mount-path.js';

/**
 * `${issuer}/path` is `//path` when the issuer ends in `/`, as Auth0's do; like most web servers, treat
 * repeated slashes in the path as one, so code that appends paths to the issuer keeps working.
 */
function collapseSlashes(url: string): string {
  return url.replace(/^[^?#]*/, (path) => path.replace(/\/{2,}/g, '/'));
}

/**
 * Starts a real OpenID Provider on loopback. Options win over the environment (`PORT`, `ISSUER`,
 * `CORS_ORIGINS`, `REDIRECT_URIS`, `*_TOKEN_TTL`): a variable whose option is given is not read,
 * nor `ISSUER` when `port` is; see the README.
 */
export async function startDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const config = resolveConfig(options, process.env);
  const secrets =
    config.persistDir === undefined ? await generateSecrets() : await loadOrCreateSecrets(config.persistDir);

  // The issuer depends on the port, which is only known once listening (port 0).
  let handle = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(503).end();
  };
  const server = await listenLoopback(config.port, (req, res) => handle(req, res));
  try {
    const issuer = config.issuer ?? resolveIssuer(undefined, server.port);
    const mountPath = mountPathOf(issuer);
    const adapter = createFileAdapter(config.persistDir);
    const provider = createProvider({ ...config, issuer }, secrets, adapter);
    const interactions = createInteractionRoutes(provider, config.users, config.apis, mountPath);
    const callback = provider.callback();
    handle = (req, res) => {
      // An issuer with a path (`…/tenant`) serves everything beneath that path, and nothing else.
      const url = insideMount(collapseSlashes(req.url ?? '/'), mountPath);
      if (url === undefined) return void res.writeHead(404).end();
      req.url = url;
      interactions(req, res).then(
        (handled) => {
          if (!handled) callback(req, res);
        },
        () => {
          if (!res.headersSent) res.writeHead(500).end();
        },
      );
    };
    if (!config.quiet) console.warn(banner({ ...config, issuer }, invitationLinks(config)));
    return {
      issuer,
      port: server.port,
      invitationLinks: invitationLinks(config),
      close: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
