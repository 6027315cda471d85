// One DPoP benchmark variant in its own process. Usage: node dpop-server.mjs <variant> <issuer>
// <audience> <publicBaseURL> [redisUrl]; prints the port once listening.
import process from 'node:process';
import express from 'express';

const [variant, issuer, audience, publicBaseURL, redisUrl] = process.argv.slice(2);
const app = express();
const ok = (req, res) => {
  res.json({ ok: true, sub: req.auth?.payload?.sub });
};

async function guards() {
  if (variant === 'library-dpop') {
    // express-oauth2-jwt-bearer's own DPoP mode: token and proof verified together on every request.
    const { auth, requiredScopes } = await import('express-oauth2-jwt-bearer');
    return [
      auth({ issuerBaseURL: issuer, audience, dpop: { enabled: true, required: true } }),
      requiredScopes('read:things'),
    ];
  }
  const { requireAuth, requireScopes } = await import('@grantflow/express');
  let replayStore;
  if (variant === 'grantflow-dpop-redis') {
    const { createClient } = await import('redis');
    const { createRedisReplayStore } = await import('@grantflow/express/redis');
    const client = createClient({ url: redisUrl });
    await client.connect();
    replayStore = createRedisReplayStore({ client });
  }
  const dpop = { mode: 'required', publicBaseURL, ...(replayStore ? { replayStore } : {}) };
  return [requireAuth({ issuerBaseURL: issuer, audience, env: {}, dpop }), requireScopes('read:things')];
}

app.get('/things', ...(await guards()), ok);
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
