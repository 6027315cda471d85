// One benchmark variant in its own process (pinned to one core by throughput.mjs).
// Usage: node server.mjs <variant> <issuer> <audience> [profile.cpuprofile]; prints the port once
// listening. With a profile path, SIGUSR2 starts the V8 CPU profiler (the one `--cpu-prof` uses) and
// SIGTERM writes the profile before exiting, so only the measured window is profiled.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import process from 'node:process';
import express from 'express';

const [variant, issuer, audience, profilePath] = process.argv.slice(2);
const app = express();
const ok = (req, res) => {
  res.json({ ok: true, sub: req.auth?.payload?.sub });
};

async function guards() {
  switch (variant) {
    case 'ceiling':
      return [];
    case 'two-handlers': {
      // The app shape of the others (an auth handler, then a scope check) with nothing verified: what
      // Express itself charges for two more handlers and a `sub` in the answer.
      const auth = Object.freeze({ payload: Object.freeze({ sub: 'bench-user', scope: 'read:things' }) });
      return [
        (req, _res, next) => {
          req.auth = auth;
          next();
        },
        (req, res, next) => (req.auth.payload.scope === 'read:things' ? next() : res.status(403).end()),
      ];
    }
    case 'plain':
    case 'plain-new': {
      // plain-new: the same app, sent the never-seen tokens grantflow-new is (the token mix differs).
      const { auth, requiredScopes } = await import('express-oauth2-jwt-bearer');
      return [auth({ issuerBaseURL: issuer, audience }), requiredScopes('read:things')];
    }
    case 'express-jwt': {
      const { expressjwt } = await import('express-jwt');
      const jwksRsa = await import('jwks-rsa');
      const scope = (req, res, next) =>
        String(req.auth?.scope ?? '')
          .split(' ')
          .includes('read:things')
          ? next()
          : res.status(403).end();
      return [
        expressjwt({
          secret: jwksRsa.expressJwtSecret({ cache: true, rateLimit: true, jwksUri: `${issuer}/jwks.json` }),
          audience,
          issuer,
          algorithms: ['RS256'],
        }),
        scope,
      ];
    }
    default: {
      // grantflow-repeated, grantflow-rotating, grantflow-new: the same app; the token mix differs.
      const { requireAuth, requireScopes } = await import('@grantflow/express');
      return [requireAuth({ issuerBaseURL: issuer, audience, env: {} }), requireScopes('read:things')];
    }
  }
}

app.get('/things', ...(await guards()), ok);
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
let profiler;
if (profilePath) {
  process.on('SIGUSR2', async () => {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
    await profiler.post('Profiler.start');
  });
}
process.on('SIGTERM', async () => {
  if (profiler) writeFileSync(profilePath, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  server.close(() => process.exit(0));
});
