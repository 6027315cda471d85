import { DEMO_USERS, startDevIdp } from '@grantflow/dev-idp';

const idp = await startDevIdp({
  port: 4000,
  clients: [
    {
      clientId: 'my-spa',
      redirectUris: ['http://localhost:3000/callback'],
      postLogoutRedirectUris: ['http://localhost:3000/'],
    },
  ],
  corsOrigins: ['http://localhost:3000'],
  apis: {
    'https://api.example.com': {
      scopes: ['read:things'],
      scopeDescriptions: { 'read:things': 'see your things' },
    },
  },
  // A scope is granted only to users whose `permissions` include it; `users` replaces the demo users.
  users: [
    ...DEMO_USERS,
    {
      sub: 'carol',
      email: 'carol@example.com',
      password: 'carol-password',
      name: 'Carol Example',
      permissions: ['read:things'],
    },
  ],
});
console.log(`dev IdP at ${idp.issuer}`);
