import { defineConfig } from 'vitepress';
import { publishedEntryPoints } from '../packages.mjs';

const guides = [
  {
    text: 'Getting started',
    items: [
      { text: 'Vue app', link: '/guide/vue' },
      { text: 'Any framework (core)', link: '/guide/core' },
      { text: 'Express API', link: '/guide/express' },
      { text: 'Native apps and the CLI', link: '/guide/native-and-cli' },
      { text: 'Before the packages are published', link: '/guide/unpublished' },
    ],
  },
  {
    text: 'Providers',
    items: [
      { text: 'Auth0', link: '/guide/auth0' },
      { text: 'Any OpenID provider (Keycloak)', link: '/guide/openid-providers' },
      { text: 'The dev IdP', link: '/guide/dev-idp' },
    ],
  },
  {
    text: 'Topics',
    items: [
      { text: 'Choosing storage', link: '/guide/storage' },
      { text: 'Server-side rendering', link: '/guide/ssr' },
      { text: 'Testing your app', link: '/guide/testing' },
      { text: 'Node versions', link: '/guide/node-versions' },
      { text: 'Troubleshooting', link: '/guide/troubleshooting' },
    ],
  },
];

const reference = [
  {
    text: 'API reference',
    items: [
      { text: 'Overview', link: '/reference/' },
      ...publishedEntryPoints().map((entry) => ({ text: entry.name, link: `/reference/${entry.name}/` })),
    ],
  },
];

// VitePress's heading slugs, keeping `_`: the reference links a member named `error_description` as
// `#error_description` (typedoc-plugin-markdown slugs with TypeDoc's slugger, which keeps `_`), and an error
// code's entry in Troubleshooting is `#invalid_dpop_proof`, the code the reader has in hand.
function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(/[\s~`!@#$%^&*()\-+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

export default defineConfig({
  title: 'grantflow',
  description:
    'OAuth 2.0 Authorization Code + PKCE for browser apps, token verification for Express, and a real local IdP.',
  // Nothing is fetched from elsewhere at build or view time: local search, no web fonts, no analytics.
  head: [],
  cleanUrls: true,
  lastUpdated: false,
  // Every internal link must resolve; a broken one fails the build (VitePress's default, kept on purpose).
  ignoreDeadLinks: false,
  // VitePress checks pages only; `check-links.mjs` checks every `#anchor` of the built site too.
  markdown: { anchor: { slugify }, headers: { slugify } },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/vue' },
      { text: 'Reference', link: '/reference/' },
    ],
    sidebar: { '/guide/': guides, '/reference/': reference },
    search: { provider: 'local' },
    outline: [2, 3],
  },
});
