// The in-process benchmarks' request: the shape express-oauth2-jwt-bearer and @grantflow/express
// read, without Express or HTTP around it, and a response that fails loudly if either refuses.
const requestBase = {
  protocol: 'http',
  method: 'GET',
  originalUrl: '/things',
  url: '/things',
  query: {},
  body: undefined,
  get: (name) => (name === 'Host' ? 'api.bench' : undefined),
  is: () => false,
};
const failing = {
  status: () => failing,
  setHeader: () => failing,
  json: (body) => {
    throw new Error(`refused: ${JSON.stringify(body)}`);
  },
};

/** Runs `middleware` on a request carrying `token`; resolves when it calls `next()`. */
export const through = (middleware) => (token) =>
  new Promise((resolve, reject) => {
    const req = Object.create(requestBase);
    req.headers = { host: 'api.bench', authorization: `Bearer ${token}` };
    req.rawHeaders = ['Host', 'api.bench', 'Authorization', req.headers.authorization];
    middleware(req, failing, (err) => (err ? reject(err) : resolve()));
  });
