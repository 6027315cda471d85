// @vitest-environment happy-dom
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestingAuth } from '@grantflow/vue/testing';
import { mount } from '@vue/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import type { Component } from 'vue';

// The Vue README's components, as a reader copies them: each `vue` block becomes a file the test
// mounts, so a block that does not work in a real app (a template reading a browser global) fails here.
const here = import.meta.dirname;
const readme = await readFile(join(here, '../../packages/vue/README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```vue\n([\s\S]*?)^```$/gm)].map(([, source]) => source!);
// Inside the docs package, so the file resolves `@grantflow/vue` and is compiled like the samples.
const dir = await mkdtemp(join(here, '.readme-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function readmeComponent(index: number): Promise<Component> {
  const file = join(dir, `Block${index}.vue`);
  await writeFile(file, blocks[index]!);
  return ((await import(/* @vite-ignore */ file)) as { default: Component }).default;
}

describe('the @grantflow/vue README', () => {
  it('has the quick start component', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it("signs out from the quick start's button, back to the app's origin", async () => {
    const auth = createTestingAuth({ user: { sub: 'u1', name: 'Ada' } });
    const wrapper = mount(await readmeComponent(0), { global: { plugins: [auth] } });
    expect(wrapper.text()).toContain('Hello Ada');

    await wrapper
      .findAll('button')
      .find((button) => button.text() === 'Sign out')!
      .trigger('click');
    expect(auth.client.calls.logout).toEqual([{ returnTo: `${window.location.origin}/` }]);
  });
});
