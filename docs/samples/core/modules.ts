import { automaticRenewal, createAuthClient, crossTabSync } from '@grantflow/core';
import { dpop } from '@grantflow/core/dpop';

const clientId = 'YOUR_CLIENT_ID';

export const auth = createAuthClient({
  domain: 'your-tenant.eu.auth0.com',
  clientId,
  redirectUri: `${location.origin}/callback`,
  audience: 'https://api.example.com',
  useRefreshTokens: true,
  storage: 'local',
  tabs: crossTabSync(),
  renewal: automaticRenewal(),
  proof: dpop(),
});
