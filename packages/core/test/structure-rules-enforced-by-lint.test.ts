import { fileURLToPath, URL } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The repository's lint config is what enforces issue 8's structure rules; these pin that it still does.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function messages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

// The first lint builds the type-aware program of the repository: 76 s was seen in CI with turbo running
// every package's tests on two cores, more than one test's limit. Built once here, the tests lint at once.
beforeAll(() => messages('', 'packages/core/src/zz-probe.ts'), 300_000);

describe('core reads the world only through its environment', () => {
  it.each([
    'export const a = document.title;',
    'export const a = globalThis.document;',
    'export const a = window.location.href;',
    'export const a = self.crypto;',
    'export const a = setTimeout(() => {}, 1);',
    "export const a = new BroadcastChannel('x');",
  ])('refuses %s in core src', async (code) => {
    expect((await messages(code, 'packages/core/src/zz-probe.ts')).join('\n')).toMatch(
      /no-restricted-globals: .*Environment/,
    );
  });

  it('lets environment.ts read them, and adapters too', async () => {
    const code = 'export const a = document.title;';
    expect(await messages(code, 'packages/core/src/environment.ts')).toEqual([]);
    expect(await messages(code, 'packages/vue/src/zz-probe.ts')).toEqual([]);
  });

  it('refuses Node built-ins and frameworks in core src', async () => {
    for (const code of ["export { readFile } from 'node:fs';", "export { ref } from 'vue';"]) {
      expect((await messages(code, 'packages/core/src/zz-probe.ts')).join('\n')).toMatch(
        /no-restricted-imports/,
      );
    }
  });

  it.each([
    ["export const m = await import('node:crypto');", /no Node built-ins/],
    ["export const m = await import('node:fs/promises');", /no Node built-ins/],
    ["export const m = await import('vue');", /knows no framework/],
    ["export const m = await import('vue/server-renderer');", /knows no framework/],
    ["export const m = await import('@vue/reactivity');", /knows no framework/],
    ["export const m = await import('express');", /knows no framework/],
  ])('refuses the dynamic %s in core src', async (code, message) => {
    const found = (await messages(code, 'packages/core/src/zz-probe.ts')).join('\n');
    expect(found).toMatch(/no-restricted-syntax/);
    expect(found).toMatch(message);
  });

  it('keeps the repository-wide import rules in core, and lets it import its own modules lazily', async () => {
    const found = await messages(
      "import { a } from './a';\nexport const m = [a, await import('fs'), await import('./b.js')];",
      'packages/core/src/zz-probe.ts',
    );
    expect(found).toEqual([
      expect.stringMatching(/^no-restricted-syntax: Relative imports end in \.js/),
      expect.stringMatching(/^no-restricted-syntax: Node's built-ins are imported as 'node:name'/),
    ]);
  });
});

describe('one import-specifier style across the repository', () => {
  it.each([
    ["import { a } from './a';", /Relative imports end in \.js/],
    ["export * from '../b';", /Relative imports end in \.js/],
    ["import fs from 'fs';", /built-ins are imported as 'node:name'/],
    ["import { join } from 'path/posix';", /built-ins are imported as 'node:name'/],
    ["export const m = await import('child_process');", /built-ins are imported as 'node:name'/],
  ])('refuses %s in any package', async (code, message) => {
    for (const where of [
      'packages/express/src/zz-probe.ts',
      'apps/api/src/zz-probe.ts',
      'scripts/zz-probe.ts',
    ]) {
      expect((await messages(`${code}\nexport {};`, where)).join('\n')).toMatch(message);
    }
  });

  it('takes the built file, the node: scheme and packages whose names start like a built-in', async () => {
    const code = [
      "import { a } from './a.js';",
      "import { readFile } from 'node:fs/promises';",
      "import parse from 'url-parse';",
      'export const all = [a, readFile, parse];',
    ].join('\n');
    expect(await messages(code, 'packages/express/src/zz-probe.ts')).toEqual([]);
  });
});
