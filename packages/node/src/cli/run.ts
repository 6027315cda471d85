import { HELP, parseInvocation } from './arguments.js';
import { runCommand, type CliContext } from './commands.js';
import { describeFailure } from './failures.js';
import { readProfile, resolveProfile, type Profile } from './profile.js';

/** Runs one `grantflow` invocation; resolves with the exit code. Failures end as one line on stderr. */
export async function runCli(args: readonly string[], context: CliContext, version: string): Promise<number> {
  let profile: Profile | undefined;
  let saved: Profile | undefined;
  try {
    const invocation = parseInvocation(args);
    if (invocation.kind === 'help') {
      context.stdout(HELP);
      return 0;
    }
    if (invocation.kind === 'version') {
      context.stdout(`${version}\n`);
      return 0;
    }
    saved = await readProfile(context.storage);
    profile = resolveProfile(invocation.flags, context.env, saved, invocation.command);
    await runCommand(invocation.command, invocation.flags, profile, context);
    return 0;
  } catch (error) {
    const { message, exitCode } = describeFailure(error, profile, saved);
    context.stderr(`grantflow: ${message}\n`);
    return exitCode;
  }
}
