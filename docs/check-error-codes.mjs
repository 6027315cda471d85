// Every error `code` a published package can throw has its entry in the troubleshooting guide, so a new
// code cannot ship undocumented. Codes are read from `…ErrorCode` unions and `readonly code = '…'`.
import { readFileSync, readdirSync } from 'node:fs';
import { URL } from 'node:url';
import console from 'node:console';
import process from 'node:process';
import { publishedEntryPoints } from './packages.mjs';

const guide = readFileSync(new URL('guide/troubleshooting.md', import.meta.url), 'utf8');
const documented = new Set([...guide.matchAll(/^#{3,4} `([a-z_]+)`/gm)].map((match) => match[1]));

const sourceDirs = new Set(publishedEntryPoints().map((entry) => entry.file.replace(/\/src\/.*$/, '/src')));
const missing = [];
let count = 0;
for (const dir of sourceDirs) {
  for (const file of readdirSync(dir, { recursive: true })) {
    if (!String(file).endsWith('.ts')) continue;
    const source = readFileSync(`${dir}/${file}`, 'utf8');
    const unions = [...source.matchAll(/export type \w+ErrorCode =([^;]+);/g)].map((m) => m[1]);
    const literals = [...source.matchAll(/readonly code = '([a-z_]+)'/g)].map((m) => `'${m[1]}'`);
    for (const [, code] of [...unions, ...literals].join(' ').matchAll(/'([a-z_]+)'/g)) {
      count += 1;
      if (!documented.has(code)) missing.push(`${code} (${dir.replace(/.*packages\//, '')}/${file})`);
    }
  }
}
if (count === 0) {
  console.error('check-error-codes: found no error codes; has the `…ErrorCode` convention changed?');
  process.exit(1);
}
if (missing.length > 0) {
  console.error(`docs/guide/troubleshooting.md has no "### \`code\`" entry for:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-error-codes: all ${count} error codes are in the troubleshooting guide`);
