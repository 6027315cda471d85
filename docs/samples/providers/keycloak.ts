import { createAuth } from '@grantflow/vue';

export const auth = createAuth({
  // Exactly as https://keycloak.example.com/realms/acme/.well-known/openid-configuration spells it.
  issuer: 'https://keycloak.example.com/realms/acme',
  clientId: 'spa',
  redirectUri: `${window.location.origin}/callback`,
  scope: 'openid profile email read:appointments',
  useRefreshTokens: true,
  // Keycloak returns to the app after logout without a confirmation prompt only with the ID token.
  idTokenHintOnLogout: true,
});
