// The API reference, generated from the TSDoc of the published packages' sources on every docs build.
import { publishedEntryPoints } from './packages.mjs';

export default {
  entryPoints: publishedEntryPoints().map((entry) => entry.file),
  entryPointStrategy: 'resolve',
  tsconfig: './tsconfig.reference.json',
  // Packages that import each other are read from source too: no build needed, nothing stale.
  compilerOptions: {
    paths: Object.fromEntries(
      publishedEntryPoints({ internal: true }).map((entry) => [entry.name, [entry.file]]),
    ),
  },
  plugin: ['typedoc-plugin-markdown', './typedoc-module-names.mjs'],
  out: 'reference',
  readme: 'none',
  entryFileName: 'index',
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  // Members without TSDoc still appear (their signatures are the contract).
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  treatWarningsAsErrors: false,
  githubPages: false,
  hideBreadcrumbs: true,
  hidePageHeader: true,
  useCodeBlocks: true,
  parametersFormat: 'table',
  interfacePropertiesFormat: 'table',
  typeDeclarationFormat: 'table',
  sanitizeComments: true,
};
