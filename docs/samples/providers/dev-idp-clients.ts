import { startDevIdp } from '@grantflow/dev-idp';

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
});
console.log(`dev IdP at ${idp.issuer}`);
