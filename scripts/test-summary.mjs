// Adds up the vitest results that each package's test run wrote, so CI ends on one plain line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import console from 'node:console';
import process from 'node:process';

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(group)) {
    const file = join(group, name, 'test-results', 'vitest.json');
    if (!existsSync(file)) continue;
    const result = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests;
    totals.skipped += result.numPendingTests + result.numTodoTests;
  }
}
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
