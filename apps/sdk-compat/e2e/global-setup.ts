import type { TestProject } from 'vitest/node';
import { startCompatStack, type CompatStack } from './stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    compat: CompatStack;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startCompatStack();
  project.provide('compat', stack.info);
  return stack.close;
}
