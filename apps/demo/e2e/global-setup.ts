import type { TestProject } from 'vitest/node';
import { startStack, type StackInfo } from './stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/** One stack for all e2e files: building the demo and starting the IdP once keeps the suite fast. */
export default async function setup(project: TestProject) {
  const stack = await startStack();
  project.provide('stack', stack.info);
  return stack.close;
}
