import { describe, expect, it } from 'vitest';
import { HELP, parseInvocation, portOf, timeoutOf, UsageError } from '../src/cli/arguments.js';
import { devProfile, resolveProfile, type Profile } from '../src/cli/profile.js';

const usage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no usage error');
};

const accepts = (args: string[]) => {
  try {
    return parseInvocation(args).kind === 'command';
  } catch {
    return false;
  }
};

describe('parseInvocation', () => {
  it('reads a command and its flags', () => {
    expect(parseInvocation(['login', '--issuer', 'https://idp.example/', '--no-browser', '--json'])).toEqual({
      kind: 'command',
      command: 'login',
      flags: { issuer: 'https://idp.example/', 'no-browser': true, json: true },
    });
    expect(parseInvocation(['token', '--audience=https://api.example'])).toEqual({
      kind: 'command',
      command: 'token',
      flags: { audience: 'https://api.example' },
    });
    expect(parseInvocation(['login', '--prompt', 'login consent'])).toMatchObject({
      flags: { prompt: 'login consent' },
    });
    expect(() => parseInvocation(['token', '--prompt', 'login'])).toThrow(UsageError);
  });

  it('shows help without a command, and for -h; the version for -v', () => {
    expect(parseInvocation([])).toEqual({ kind: 'help' });
    expect(parseInvocation(['token', '-h'])).toEqual({ kind: 'help' });
    expect(parseInvocation(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [['--issuer', 'https://idp.example/'], '--issuer'],
    [['--audience', 'api'], '--audience'],
    [['--json', '--no-browser'], '--json'],
  ])('refuses flags without a command (%j) rather than showing the help', (args, flag) => {
    expect(usage(() => parseInvocation(args))).toBe(
      `no command given for ${flag}: use login, token, whoami or logout`,
    );
  });

  it('takes `help` as --help, before a command or alone (one text covers every command)', () => {
    expect(parseInvocation(['help'])).toEqual({ kind: 'help' });
    expect(parseInvocation(['help', 'login'])).toEqual({ kind: 'help' });
    expect(HELP).toMatch(/^ {2}-h, --help, help /m);
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['token', 'extra'], 'unexpected argument "extra"'],
    [['token', '--json'], '--json is not an option of "grantflow token"'],
    [['logout', '--audience', 'x'], '--audience is not an option of "grantflow logout"'],
    [['logout', '--resource', 'x'], '--resource is not an option of "grantflow logout"'],
    [['whoami', '--no-browser'], '--no-browser is not an option of "grantflow whoami"'],
  ])('refuses %j', (args, message) => {
    expect(usage(() => parseInvocation(args))).toBe(message);
  });

  it('refuses unknown options and options without their value', () => {
    expect(usage(() => parseInvocation(['token', '--bogus']))).toMatch(/bogus/);
    expect(usage(() => parseInvocation(['login', '--issuer']))).toMatch(/issuer/);
  });

  it("help's usage line of each command names exactly the options that command takes", () => {
    const options = {
      issuer: 'URL',
      'client-id': 'ID',
      audience: 'API',
      resource: 'URL',
      scope: 'SCOPES',
      'refresh-with-scope': undefined,
      'no-browser': undefined,
      prompt: 'VALUE',
      timeout: 'SECONDS',
      port: 'PORT',
      json: undefined,
    };
    const lines = HELP.slice(HELP.indexOf('Usage:'), HELP.indexOf('\n\n', HELP.indexOf('Usage:')));
    for (const command of ['login', 'token', 'whoami', 'logout']) {
      const start = lines.indexOf(`grantflow ${command} `);
      const next = lines.indexOf('grantflow ', start + 1);
      const usageLine = lines.slice(start, next === -1 ? undefined : next);
      for (const [option, value] of Object.entries(options)) {
        const args = value === undefined ? [command, `--${option}`] : [command, `--${option}`, 'x'];
        const taken = accepts(args);
        const named = usageLine.includes(value === undefined ? `[--${option}]` : `[--${option} ${value}]`);
        expect({ command, option, named }).toEqual({ command, option, named: taken });
      }
    }
  });

  it('reads --timeout in seconds', () => {
    expect(timeoutOf({ timeout: '1.5' })).toBe(1500);
    expect(timeoutOf({})).toBeUndefined();
    for (const bad of ['0', '-1', 'soon', ''])
      expect(usage(() => timeoutOf({ timeout: bad }))).toMatch(/--timeout/);
  });
});

describe('portOf', () => {
  it('reads --port as a port number', () => {
    expect(portOf({ port: '8484' })).toBe(8484);
    expect(portOf({})).toBeUndefined();
    for (const bad of ['0', '65536', '80.5', 'http'])
      expect(usage(() => portOf({ port: bad }))).toMatch(/--port/);
  });
});

describe('resolveProfile', () => {
  const dev = devProfile({});
  const saved: Profile = {
    issuer: 'https://tenant.eu.auth0.com/',
    clientId: 'saved-client',
    audience: 'https://api.saved',
    scope: 'openid profile email offline_access read:things',
  };

  it('defaults to the dev IdP, its CLI client and the demo API', () => {
    expect(resolveProfile({}, {}, undefined)).toEqual({
      issuer: 'http://localhost:4000/',
      clientId: 'grantflow-cli',
      audience: 'https://api.grantflow.local/appointments',
      scope: 'openid profile email offline_access read:appointments write:appointments',
    });
    expect(resolveProfile({}, { IDP_PORT: '4500' }, undefined).issuer).toBe('http://localhost:4500/');
  });

  it('uses the last login when no flag says otherwise', () => {
    expect(resolveProfile({}, {}, saved)).toEqual(saved);
    expect(resolveProfile({ audience: 'https://other' }, {}, saved)).toEqual({
      ...saved,
      audience: 'https://other',
    });
  });

  it('lets flags win over GRANTFLOW_* variables, and those over the last login', () => {
    const env = { GRANTFLOW_CLIENT_ID: 'env-client', GRANTFLOW_AUDIENCE: 'https://api.env' };
    expect(resolveProfile({}, env, saved)).toMatchObject({
      clientId: 'env-client',
      audience: 'https://api.env',
    });
    expect(resolveProfile({ 'client-id': 'flag-client' }, env, saved).clientId).toBe('flag-client');
  });

  it('takes the API as a resource or an audience from the first of flags, variables, last login', () => {
    const resource = { audience: undefined, resource: 'https://api.rs' };
    expect(resolveProfile({ resource: 'https://api.rs' }, {}, saved)).toMatchObject(resource);
    const env = { GRANTFLOW_RESOURCE: 'https://api.rs' };
    expect(resolveProfile({}, env, saved)).toMatchObject(resource);
    const last = resolveProfile({ resource: 'https://api.rs' }, {}, saved);
    expect(resolveProfile({}, {}, last)).toMatchObject(resource);
    expect(resolveProfile({ audience: 'https://api.aud' }, env, last)).toMatchObject({
      audience: 'https://api.aud',
      resource: undefined,
    });
  });

  it('refuses an audience and a resource given together', () => {
    expect(usage(() => resolveProfile({ audience: 'a', resource: 'r' }, {}, saved))).toBe(
      'give --audience or --resource, not both',
    );
    const env = { GRANTFLOW_AUDIENCE: 'a', GRANTFLOW_RESOURCE: 'r' };
    expect(usage(() => resolveProfile({}, env, saved))).toBe(
      'give GRANTFLOW_AUDIENCE or GRANTFLOW_RESOURCE, not both',
    );
  });

  it('keeps --refresh-with-scope of the last login', () => {
    expect(resolveProfile({}, {}, saved).refreshWithScope).toBeUndefined();
    const last = resolveProfile({ 'refresh-with-scope': true }, {}, saved);
    expect(last.refreshWithScope).toBe(true);
    expect(resolveProfile({}, {}, last).refreshWithScope).toBe(true);
    expect(resolveProfile({}, {}, last, 'token').refreshWithScope).toBe(true);
  });

  it('turns --refresh-with-scope off at a login that does not give it', () => {
    const last = resolveProfile({ 'refresh-with-scope': true }, {}, saved, 'login');
    expect(resolveProfile({}, {}, last, 'login').refreshWithScope).toBeUndefined();
    expect(resolveProfile({ 'refresh-with-scope': true }, {}, last, 'login').refreshWithScope).toBe(true);
  });

  it('adds --scope to openid profile email offline_access, in the order given, each scope once', () => {
    expect(resolveProfile({ scope: 'write:x read:x openid write:x' }, {}, undefined).scope).toBe(
      'openid profile email offline_access write:x read:x',
    );
  });

  it('sends the scope of a last login an earlier version saved sorted in the documented order', () => {
    const sorted = { ...saved, scope: 'email openid profile read:things' };
    expect(resolveProfile({}, {}, sorted).scope).toBe('openid profile email offline_access read:things');
  });

  it('adds --scope to openid profile email', () => {
    expect(resolveProfile({ scope: 'read:x  write:x' }, {}, undefined).scope).toBe(
      'openid profile email offline_access read:x write:x',
    );
    expect(resolveProfile({}, { GRANTFLOW_SCOPE: 'read:y' }, undefined).scope).toBe(
      'openid profile email offline_access read:y',
    );
  });

  it("takes Auth0's bare domain as the issuer", () => {
    expect(resolveProfile({ issuer: 'tenant.eu.auth0.com', 'client-id': 'c' }, {}, undefined).issuer).toBe(
      'https://tenant.eu.auth0.com/',
    );
  });

  it('needs a client id for another provider, and takes nothing from the dev defaults or another login', () => {
    expect(usage(() => resolveProfile({ issuer: 'https://idp.example/' }, {}, saved))).toBe(
      '--client-id is required for https://idp.example/',
    );
    expect(resolveProfile({ issuer: 'https://idp.example/', 'client-id': 'c' }, {}, saved)).toEqual({
      issuer: 'https://idp.example/',
      clientId: 'c',
      audience: undefined,
      scope: 'openid profile email offline_access',
    });
    expect(dev.issuer).toBe('http://localhost:4000/');
  });

  it("matches the dev IdP's or the last login's issuer without its root slash, not a path's", () => {
    expect(resolveProfile({ issuer: 'http://localhost:4000' }, {}, undefined)).toMatchObject({
      issuer: 'http://localhost:4000/',
      clientId: 'grantflow-cli',
    });
    expect(resolveProfile({ issuer: 'https://tenant.eu.auth0.com' }, {}, saved)).toMatchObject({
      issuer: 'https://tenant.eu.auth0.com/',
      clientId: 'saved-client',
      audience: 'https://api.saved',
    });
    const tenant = { ...saved, issuer: 'https://idp.example/tenant/' };
    expect(usage(() => resolveProfile({ issuer: 'https://idp.example/tenant' }, {}, tenant))).toBe(
      '--client-id is required for https://idp.example/tenant',
    );
  });

  it.each([
    'http://LOCALHOST:4000/',
    'http://localhost:4000/x/..',
    'http://localhost:4000/./',
    'http://localhost:04000/',
    'http://localhost:4000/ ',
  ])(
    "takes %j for another issuer than the dev IdP's or the last login's (identical but for a root's slash)",
    (issuer) => {
      expect(usage(() => resolveProfile({ issuer }, {}, undefined))).toBe(
        `--client-id is required for ${issuer}`,
      );
      const last = { ...saved, issuer: 'http://localhost:4000/' };
      expect(usage(() => resolveProfile({ issuer }, {}, last))).toBe(`--client-id is required for ${issuer}`);
    },
  );

  it('refuses an empty issuer instead of falling back to the last one (an unset shell variable)', () => {
    const last = { ...saved, issuer: 'https://idp.example/' };
    expect(usage(() => resolveProfile({ issuer: '' }, {}, last))).toBe('--issuer is empty');
    expect(usage(() => resolveProfile({}, { GRANTFLOW_ISSUER: '' }, last))).toBe('GRANTFLOW_ISSUER is empty');
    expect(resolveProfile({}, {}, last).issuer).toBe('https://idp.example/');
  });

  it('refuses an issuer that is not a URL', () => {
    expect(usage(() => resolveProfile({ issuer: 'https://', 'client-id': 'c' }, {}, undefined))).toMatch(
      /not a URL/,
    );
  });

  it('refuses a URL with another scheme or a mistyped one, instead of taking it for an Auth0 tenant', () => {
    for (const issuer of [
      'HTTP://localhost:4000',
      'http:\\\\localhost:4000\\',
      'ftp://idp.example/',
      'Https://idp.example/',
    ]) {
      expect(usage(() => resolveProfile({ issuer, 'client-id': 'c' }, {}, undefined))).toBe(
        `--issuer ${issuer} is not an http:// or https:// URL`,
      );
    }
  });

  it('takes an Auth0 domain with a port for https://<domain>/', () => {
    expect(resolveProfile({ issuer: 'tenant.example:8443', 'client-id': 'c' }, {}, undefined).issuer).toBe(
      'https://tenant.example:8443/',
    );
  });

  it('refuses words that are no domain, instead of taking them for an Auth0 tenant', () => {
    for (const issuer of ['not a url', 'tenant auth0.com']) {
      expect(usage(() => resolveProfile({ issuer, 'client-id': 'c' }, {}, undefined))).toMatch(
        /is not a URL or domain/,
      );
    }
  });
});
