import { shallowRef } from 'vue';
import type { AuthClient } from '@grantflow/core';

/** The start-up work of a page load for one client: its callback exchange or session check. */
export interface ClientStartup {
  /** Settles when the work is over; never rejects. */
  readonly work: Promise<void>;
  done: boolean;
  /** The snapshot's `error` a failed callback left: the guard starts no login over it. */
  callbackError?: unknown;
  /**
   * The address the guard lets through: the callback this page load handles, then its clean address
   * while the plugin replaces the route with it, then none.
   */
  callbackHref?: string;
  /**
   * Settles once it is known whether this page load completes a callback away from the client's
   * `redirectUri` (a login that named its own `redirect_uri`; the core is asked, asynchronously).
   */
  deciding?: Promise<unknown>;
}

// A second install for one client (another app, a second plugin, a remount while the exchange runs)
// reuses its start-up: a callback must be exchanged once, whatever the number of installs.
const startups = new WeakMap<AuthClient, ClientStartup>();

/** The start-up already begun for `client`, else the one `begin` starts (none when it has no work). */
export function startOnce(
  client: AuthClient,
  begin: (startup: Partial<ClientStartup>) => Promise<void> | undefined,
): ClientStartup | undefined {
  const begun = startups.get(client);
  if (begun) return begun;
  const startup: Partial<ClientStartup> = { done: false };
  const work = begin(startup)?.then(() => void (startup.done = true));
  if (!work) return undefined;
  const started = Object.assign(startup, { work }) as ClientStartup;
  startups.set(client, started);
  return started;
}

/**
 * Whether `href` is the callback this page load's start-up handles for `client` (or its clean-up), once
 * the start-up knows whether it handles one.
 */
export async function isStartupCallback(client: AuthClient, href: string): Promise<boolean> {
  const startup = startups.get(client);
  await startup?.deciding;
  return startup?.callbackHref === href;
}

/** The error a failed start-up callback left in `client`'s snapshot, if any. */
export function callbackErrorOf(client: AuthClient): unknown {
  return startups.get(client)?.callbackError;
}

/**
 * A plugin's `ready`, and `starting` (read by `isLoading`) true until it settles. The flag drops before
 * `ready` resolves, so code after `await ready` sees `isLoading` false; without start-up work both are
 * settled at once.
 */
export function readiness() {
  const starting = shallowRef(false);
  let settle: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (settle = resolve));
  const finish = () => {
    starting.value = false;
    settle();
  };
  return {
    ready,
    starting,
    track(startup: ClientStartup | undefined) {
      const running = startup && !startup.done;
      starting.value = !!running;
      if (running) void startup.work.then(finish);
      else finish();
    },
  };
}
