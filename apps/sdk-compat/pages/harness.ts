/**
 * The few lines every page shares: buttons that call the SDK the way an app would, and what
 * happened, written where the tests read it. The SDK code itself lives in each page's module.
 */
export interface SdkApp {
  /** Finishes a sign-in when the page is the callback; resolves with the signed-in user's email. */
  start(): Promise<string | undefined>;
  login(): Promise<void>;
  /** Signs in in a popup, for SDKs that offer it; resolves with the signed-in user's email. */
  loginWithPopup?(): Promise<string | undefined>;
  /**
   * An access token for the API; `fresh` makes the SDK get a new one from the IdP first (with its
   * refresh token, or by a silent authorization when it has none).
   */
  accessToken(fresh: boolean): Promise<string | undefined>;
  logout(): Promise<void>;
}

export const settings = {
  issuer: import.meta.env.VITE_ISSUER,
  clientId: import.meta.env.VITE_CLIENT_ID,
  audience: import.meta.env.VITE_AUDIENCE,
  apiUrl: import.meta.env.VITE_API_URL,
  /** Where each page comes back to after sign-in and sign-out: itself. */
  here: `${location.origin}${location.pathname}`,
};

function show(id: string, text: string): void {
  document.getElementById(id)!.textContent = text;
}

function showUser(email: string | undefined): void {
  show('user', email ?? '');
  show('status', email === undefined ? 'signed-out' : 'signed-in');
}

/** The OAuth error code when the SDK's error carries one (Auth0's and oidc-client-ts's do), else the message. */
function describe(error: unknown): string {
  const code = (error as { error?: unknown } | null)?.error;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

async function callApi(app: SdkApp, fresh: boolean): Promise<void> {
  const token = await app.accessToken(fresh);
  if (token === undefined) throw new Error('the SDK gave no access token');
  const response = await fetch(`${settings.apiUrl}/api/appointments`, {
    headers: { authorization: `Bearer ${token}` },
  });
  show('api', `${response.status}`);
}

const CONTROLS = `
<p>status: <output id="status">starting</output> user: <output id="user"></output></p>
<p>API: <output id="api"></output> error: <output id="error"></output></p>
<button id="login">Sign in</button>
<button id="login-popup">Sign in with a popup</button>
<button id="call-api">Call the API</button>
<button id="refresh">Refresh and call the API</button>
<button id="logout">Sign out</button>`;

/** What an Auth0 quick start passes to `createAuth0Client` / `createAuth0`; only `domain` is the dev IdP. */
export const auth0Options = {
  domain: settings.issuer.replace(/\/$/, ''),
  clientId: settings.clientId,
  useRefreshTokens: true,
  authorizationParams: {
    redirect_uri: settings.here,
    audience: settings.audience,
    scope: 'openid profile email read:appointments',
  },
};

export async function run(app: SdkApp): Promise<void> {
  document.body.insertAdjacentHTML('afterbegin', `<h1>${document.title}</h1>${CONTROLS}`);
  const guard = (action: () => Promise<void>) => () => {
    show('error', '');
    return action().catch((error: unknown) => {
      show('error', describe(error));
    });
  };
  document.getElementById('login')!.addEventListener(
    'click',
    guard(() => app.login()),
  );
  const popup = document.getElementById('login-popup')!;
  const { loginWithPopup } = app;
  if (loginWithPopup === undefined) popup.remove();
  else
    popup.addEventListener(
      'click',
      guard(async () => showUser(await loginWithPopup())),
    );
  document.getElementById('call-api')!.addEventListener(
    'click',
    guard(() => callApi(app, false)),
  );
  document.getElementById('refresh')!.addEventListener(
    'click',
    guard(() => callApi(app, true)),
  );
  document.getElementById('logout')!.addEventListener(
    'click',
    guard(() => app.logout()),
  );
  await guard(async () => showUser(await app.start()))();
}
