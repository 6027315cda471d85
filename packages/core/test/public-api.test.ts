import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as internal from '../src/internal.js';

/** The client's building blocks: adapters and opt-in modules reach them through `@grantflow/core/internal`. */
const BUILDING_BLOCKS = [
  'createStore',
  'createTokenCache',
  'createTokenManager',
  'createRedirectFlow',
  'createServerMetadata',
  'createTransactionStore',
  'silentAuthorize',
  'singleTab',
  'resolveOptions',
  'resolveEnvironment',
  'internalsOf',
  'openPopup',
  'sendCallbackToOpener',
  'wakeEvents',
  'meansSignedOut',
  'CALLBACK_PARAMS',
  'INVITATION_PARAMS',
  'isAuth0Issuer',
];

describe('the root export is what an app needs', () => {
  it('has the client, the opt-in modules, the protocol helpers and every error class', () => {
    for (const name of [
      'createAuthClient',
      'createAuthFetch',
      'crossTabSync',
      'hiddenIframe',
      'popupWindow',
      'automaticRenewal',
      'parseWwwAuthenticate',
      'transition',
      'toSnapshot',
      'GrantflowError',
      'LoginRequiredError',
      'MfaRequiredError',
      'IdTokenInvalidError',
      'StorageError',
    ]) {
      expect(root, name).toHaveProperty(name);
    }
  });

  it('keeps the building blocks out of it, in @grantflow/core/internal', () => {
    for (const name of BUILDING_BLOCKS) {
      expect(root, name).not.toHaveProperty(name);
      expect(internal, name).toHaveProperty(name);
    }
  });
});
