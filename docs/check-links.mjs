// Every internal link of the built site reaches its page and, with a `#fragment`, an element of that id.
// VitePress's own dead-link check ignores fragments, so a renamed heading or a reference anchor slugged
// another way than VitePress slugs headings would otherwise ship broken.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';
import console from 'node:console';
import process from 'node:process';

const dist = new URL('.vitepress/dist/', import.meta.url);
const ORIGIN = 'http://site.invalid';

function decodeEntities(text) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The built file a site path is served from (`cleanUrls`: `/guide/vue` is `guide/vue.html`). */
function builtFile(pathname) {
  const path = decodeURIComponent(pathname).replace(/^\//, '');
  const candidates = path === '' || path.endsWith('/') ? [`${path}index.html`] : [path, `${path}.html`];
  return candidates.find((candidate) => existsSync(fileURLToPath(new URL(candidate, dist))));
}

const pages = readdirSync(dist, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.html'));
if (pages.length === 0) {
  console.error('check-links: no built site; run `pnpm docs:build` first');
  process.exit(1);
}
const html = new Map(pages.map((file) => [file, readFileSync(new URL(file, dist), 'utf8')]));
const ids = new Map(
  [...html].map(([file, text]) => [
    file,
    new Set([...text.matchAll(/\sid="([^"]*)"/g)].map((match) => decodeEntities(match[1]))),
  ]),
);

const broken = [];
let links = 0;
for (const [file, text] of html) {
  const page = new URL(`/${file.replace(/(index)?\.html$/, '')}`, ORIGIN);
  for (const [, raw] of text.matchAll(/<a\s[^>]*?\bhref="([^"]*)"/g)) {
    const target = new URL(decodeEntities(raw), page);
    if (target.origin !== ORIGIN) continue;
    links += 1;
    const found = builtFile(target.pathname);
    const fragment = decodeURIComponent(target.hash.slice(1));
    if (found === undefined) broken.push(`${file}: ${raw} (no such page)`);
    else if (fragment !== '' && found.endsWith('.html') && !ids.get(found).has(fragment))
      broken.push(`${file}: ${raw} (no id "${fragment}" on ${found})`);
  }
}
if (broken.length > 0) {
  console.error(`check-links: ${broken.length} broken internal links:\n  ${broken.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-links: all ${links} internal links of ${pages.length} pages resolve, anchors included`);
