import { parseCallback, sameEndpoint } from './callback.js';
import type { TransactionStore } from './storage.js';

/**
 * Whether `url` answers a redirect login this client started and has not completed (an expired one
 * too: completing it reports `missing_transaction`, as at `redirectUri`): an authorization
 * response whose `state` has a login transaction here naming this URL's origin and path as its
 * `redirect_uri`. So a login that asked to come back elsewhere than `redirectUri` is found there, and
 * only there; a popup's login (its opener completes it), an unknown or spent `state`, and another page's
 * look-alike parameters are not.
 */
export async function answersPendingLogin(transactions: TransactionStore, url: string): Promise<boolean> {
  try {
    const params = parseCallback(url);
    const transaction = params && (await transactions.peek(params.state));
    return (
      !!transaction && !transaction.popup && sameEndpoint(new URL(url), new URL(transaction.redirect_uri))
    );
  } catch {
    // not an absolute URL, a repeated parameter, or a transaction without a usable redirect_uri
    return false;
  }
}
