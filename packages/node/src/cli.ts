#!/usr/bin/env node
import { defaultTokenFile, userConfigDir } from './config-dir.js';
import { fileTokenStorage } from './file-storage.js';
import { runCli } from './cli/run.js';
import packageJson from '../package.json' with { type: 'json' };

const env = process.env;
void runCli(
  process.argv.slice(2),
  {
    env,
    storage: fileTokenStorage(defaultTokenFile(userConfigDir(process.platform, env)), { ownDirectory: true }),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  },
  packageJson.version,
).then((exitCode) => {
  process.exitCode = exitCode;
});
