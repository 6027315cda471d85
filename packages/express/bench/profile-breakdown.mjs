// Where a profiled server's main-thread CPU time went, by who runs it: the RSA verification, the
// library (express-oauth2-jwt-bearer and its jose), @grantflow/express, the cache, the garbage
// collector, and Express + Node's HTTP stack (everything else). Each sample's self time goes to its
// frame's code; a native frame (JSON.parse, a crypto job's `run`) counts for the code that called it.
import { readFileSync } from 'node:fs';

const CATEGORIES = [
  ['RSA verify (node:crypto)', (url) => url.startsWith('node:internal/crypto')],
  ['express-oauth2-jwt-bearer', (url) => url.includes('express-oauth2-jwt-bearer')],
  ['jose (used by the library)', (url) => url.includes('/jose@4') || url.includes('/jose/dist/node/')],
  [
    '@grantflow/express',
    (url) => url.includes('/packages/express/dist/') || url.includes('@grantflow/express'),
  ],
  ['@grantflow/core', (url) => url.includes('/packages/core/dist/') || url.includes('@grantflow/core')],
  ['lru-cache', (url) => url.includes('lru-cache')],
  ['garbage collector', (_url, fn) => fn === '(garbage collector)'],
];
const OTHER = 'Express, HTTP, promises (the rest)';

/** Microseconds per request of each category, from a `.cpuprofile` covering `requests` requests. */
export function breakdown(path, requests) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const categoryOf = (id) => {
    let current = id;
    // Natives have no URL: walk up to the JavaScript that called them.
    while (nodes.get(current).callFrame.url === '' && parents.has(current)) {
      const { functionName } = nodes.get(current).callFrame;
      if (functionName.startsWith('(')) break;
      current = parents.get(current);
    }
    const { url, functionName } = nodes.get(current).callFrame;
    return CATEGORIES.find(([, test]) => test(url, functionName))?.[0] ?? OTHER;
  };
  const totals = new Map();
  profile.samples.forEach((id, i) => {
    if (nodes.get(id).callFrame.functionName === '(idle)') return;
    const name = categoryOf(id);
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...CATEGORIES.map(([name]) => name), OTHER].map((name) => ({
    name,
    perRequest: (totals.get(name) ?? 0) / requests,
  }));
}
