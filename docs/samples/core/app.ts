import { createAuthClient, createAuthFetch, type AuthSnapshot } from '@grantflow/core';

const auth = createAuthClient({
  domain: 'your-tenant.eu.auth0.com', // or issuer: 'https://idp.example.com/'
  clientId: 'YOUR_CLIENT_ID',
  redirectUri: `${location.origin}/callback`,
  audience: 'https://api.example.com',
  useRefreshTokens: true,
});

function render(snapshot: AuthSnapshot): void {
  document.body.dataset.status = snapshot.status;
  document.querySelector('#user')!.textContent = snapshot.user?.email ?? '';
  document.querySelector('#error')!.textContent = snapshot.error?.message ?? '';
}

// Every change of the token state machine, pushed: render it, whatever framework you use.
auth.subscribe(render);
render(auth.getSnapshot());

// On load: finish a sign-in coming back from the provider, or restore the session without a prompt.
if (auth.isCallbackUrl(location.href)) {
  const { appState } = await auth.handleRedirectCallback();
  history.replaceState(null, '', (appState as { returnTo?: string } | undefined)?.returnTo ?? '/');
} else {
  await auth.checkSession().catch(() => undefined); // the failure is in the snapshot's `error`
}

document.querySelector('#sign-in')!.addEventListener('click', () => {
  auth.loginWithRedirect({ appState: { returnTo: location.pathname } }).catch(() => undefined);
});
document.querySelector('#sign-out')!.addEventListener('click', () => {
  // Exactly as registered at the provider (Allowed Logout URLs), trailing slash included. Signed out
  // here first; with an `issuer`, reaching the provider's logout page needs discovery, which can fail.
  auth.logout({ returnTo: `${location.origin}/` }).catch((error: Error) => {
    document.querySelector('#error')!.textContent = error.message;
  });
});

const authFetch = createAuthFetch(auth);
export async function loadAppointments(): Promise<unknown> {
  const response = await authFetch('https://api.example.com/appointments');
  return response.json();
}
