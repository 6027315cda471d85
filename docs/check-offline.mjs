// The built site loads nothing from elsewhere (no fonts, scripts, styles or images from the internet),
// so it works offline and leaks no visit. Links the reader may follow are fine; theme code that could
// fetch an icon for a social link we do not configure is not a page asset.
import { readFileSync, readdirSync } from 'node:fs';
import { URL } from 'node:url';
import console from 'node:console';
import process from 'node:process';

const dist = new URL('.vitepress/dist/', import.meta.url);
const remote = [
  /<(?:script|img|iframe|source)\b[^>]*\bsrc="(?:https?:)?\/\/[^"]+/g,
  /<link\b[^>]*\bhref="(?:https?:)?\/\/[^"]+/g,
  /@import\s+(?:url\()?["']?(?:https?:)?\/\/[^)"';]+/g,
  /url\(["']?(?:https?:)?\/\/[^)"']+/g,
];
const found = [];
let files = 0;
for (const file of readdirSync(dist, { recursive: true })) {
  if (!/\.(html|css)$/.test(String(file))) continue;
  files += 1;
  const text = readFileSync(new URL(String(file), dist), 'utf8');
  for (const pattern of remote) for (const [match] of text.matchAll(pattern)) found.push(`${file}: ${match}`);
}
if (files === 0) {
  console.error('check-offline: no built site; run `pnpm docs:build` first');
  process.exit(1);
}
if (found.length > 0) {
  console.error(`check-offline: the site loads assets from elsewhere:\n  ${found.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-offline: ${files} built files load nothing from elsewhere`);
