import { requireAuth, requireScopes } from '@grantflow/express';
import cors from 'cors';
import express from 'express';

const app = express();

// CORS before auth: preflights carry no token. Expose WWW-Authenticate so the browser app can read the
// challenge (useAuthFetch retries on `invalid_token`; a 403 names the missing scope).
app.use(
  cors({
    origin: ['http://localhost:5173'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['WWW-Authenticate'],
  }),
);

// ISSUER_BASE_URL and AUDIENCE from the environment; a missing one stops the start with a clear message.
app.use('/api', requireAuth());

app.get('/api/appointments', requireScopes('read:appointments'), (req, res) => {
  res.json({ for: req.auth!.payload.sub, scopes: req.auth!.scopes, items: [] });
});
app.delete('/api/appointments/:id', requireScopes('admin:appointments'), (_req, res) => {
  res.status(204).end();
});

app.listen(Number(process.env.PORT ?? 3001));
