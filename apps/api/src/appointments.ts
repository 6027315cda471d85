import { requireScopes } from '@grantflow/express';
import express, { type Request, type Router } from 'express';
import { parseAppointmentInput } from './appointment-input.js';
import type { AppointmentStore, Owner } from './appointment-store.js';

/** The caller: `requireAuth` routed the token by its `iss`, and `requireSubject` checked its `sub`. */
const ownerOf = (req: Request): Owner => {
  const { iss, sub } = req.auth!.payload;
  return { iss: iss!, sub: sub! };
};

/** `/api/appointments`; mounted behind `requireAuth` and `requireSubject`, so `req.auth` is set. */
export function appointmentsRouter(store: AppointmentStore): Router {
  const router = express.Router();

  router.get('/', requireScopes('read:appointments'), (req, res) => {
    res.json({ appointments: store.list(ownerOf(req)) });
  });

  router.post('/', requireScopes('write:appointments'), express.json({ limit: '16kb' }), (req, res) => {
    const input = parseAppointmentInput(req.body);
    if (!input.ok) {
      res.status(400).json({
        error: 'invalid_request',
        error_description: 'The appointment is invalid',
        fields: input.fields,
      });
      return;
    }
    res.status(201).json(store.add(ownerOf(req), input.value));
  });

  router.delete('/:id', requireScopes('admin:appointments'), (req, res) => {
    if (store.remove(String(req.params.id))) res.status(204).end();
    else res.status(404).json({ error: 'not_found', error_description: 'No such appointment' });
  });

  return router;
}
