#!/usr/bin/env node
import { defaultTokenFile, userConfigDir } from './config-dir.js';
import { fileTokenStorage } from './file-storage.js';
import { runCli } from './cli/run.js';
import packageJson from '../package.json' with { type: 'json' };

const env = process.env;
const stderr = (text: string) => void process.stderr.write(text);
// Another grantflow refreshing against a slow server holds the token file: said, not a silent wait.
const onLockWait = (pid: number | undefined) =>
  stderr(`Waiting for another grantflow${pid ? ` (pid ${pid})` : ''} to finish with the token file…\n`);
void runCli(
  process.argv.slice(2),
  {
    env,
    storage: fileTokenStorage(defaultTokenFile(userConfigDir(process.platform, env)), {
      ownDirectory: true,
      onLockWait,
    }),
    stdout: (text) => void process.stdout.write(text),
    stderr,
  },
  packageJson.version,
).then((exitCode) => {
  process.exitCode = exitCode;
});
