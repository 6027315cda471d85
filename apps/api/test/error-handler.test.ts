import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorHandler, notFound } from '../src/error-handler.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('JSON error handler', () => {
  it('answers an unexpected failure with a bare JSON 500: no stack, no message, stack logged', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = express();
    app.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    app.use(notFound, errorHandler);
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'server_error', error_description: 'Something went wrong' });
    expect(res.text).not.toContain('hunter2');
    expect(logged).toHaveBeenCalledWith('Unhandled error:', expect.stringContaining('hunter2'));
  });

  it('keeps the status of other client errors, in JSON', async () => {
    const app = express();
    app.get('/teapot', (_req, _res, next) => next(Object.assign(new Error('x'), { status: 418 })));
    app.use(errorHandler);
    const res = await request(app).get('/teapot');
    expect(res.status).toBe(418);
    expect(res.body).toEqual({ error: 'invalid_request', error_description: 'The request is invalid' });
  });
});
