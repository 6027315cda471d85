import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { checkArgument, OBJECT, TEXT } from './checks.js';

type Env = Record<string, string | undefined>;

/**
 * The user's configuration directory: `$XDG_CONFIG_HOME` or `~/.config` on Linux and other Unixes (XDG
 * Base Directory spec: a relative value is ignored), `~/Library/Application Support` on macOS,
 * `%APPDATA%` on Windows.
 */
export function userConfigDir(
  platform: string = process.platform,
  env: Env = process.env,
  home: string = homedir(),
): string {
  checkArgument(platform, 'platform', TEXT);
  checkArgument(env, 'env', OBJECT);
  checkArgument(home, 'home', TEXT);
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && isAbsolute(xdg) ? xdg : join(home, '.config');
}

/** Where tokens are kept by default: `<config dir>/grantflow/tokens.json`. */
export function defaultTokenFile(configDir: string = userConfigDir()): string {
  checkArgument(configDir, 'configDir', TEXT);
  return join(configDir, 'grantflow', 'tokens.json');
}
