import { createAuth0Client } from '@auth0/auth0-spa-js';
import { auth0SpaJsApp } from './auth0-spa-js-app.js';
import { auth0Options, run } from './harness.js';

await run(auth0SpaJsApp(await createAuth0Client(auth0Options)));
