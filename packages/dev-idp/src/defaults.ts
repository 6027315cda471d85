import type { DemoUser, DevIdpClient } from './types.js';

export const DEFAULT_CLIENT_ID = 'grantflow-demo';
export const DEFAULT_AUDIENCE = 'https://api.grantflow.local/appointments';
export const APPOINTMENT_SCOPES: readonly string[] = Object.freeze([
  'read:appointments',
  'write:appointments',
  'admin:appointments',
]);

export const DEFAULT_PORT = 4000;
export const DEFAULT_CORS_ORIGINS: readonly string[] = Object.freeze(['http://localhost:5173']);

export const DEFAULT_CLIENT: Readonly<DevIdpClient> = Object.freeze({
  clientId: DEFAULT_CLIENT_ID,
  redirectUris: ['http://localhost:5173/callback', 'http://localhost:5173/'],
  postLogoutRedirectUris: ['http://localhost:5173/'],
});

export const DEFAULT_CLI_CLIENT_ID = 'grantflow-cli';

/** The `grantflow` CLI (RFC 8252): loopback redirects on any port, IPv4 and IPv6 literals, never `localhost`. */
export const DEFAULT_CLI_CLIENT: Readonly<DevIdpClient> = Object.freeze({
  clientId: DEFAULT_CLI_CLIENT_ID,
  applicationType: 'native',
  redirectUris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
});

/** Documented in the README; the passwords are public on purpose. */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  {
    sub: 'alice',
    email: 'alice@example.com',
    password: 'alice-password',
    name: 'Alice Example',
    permissions: ['read:appointments', 'write:appointments'],
  },
  {
    sub: 'bob',
    email: 'bob@example.com',
    password: 'bob-password',
    name: 'Bob Example',
    permissions: ['read:appointments'],
  },
]);
