/** One challenge of a `WWW-Authenticate` header: the scheme with either auth-params or a token68. */
export interface Challenge {
  /** As sent; compare case-insensitively. */
  scheme: string;
  /** Parameter names lower-cased (they are case-insensitive); quoted values unescaped. */
  params: Record<string, string>;
  token68: string | undefined;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;
const SPACE = /[ \t]/;
const SEPARATOR = /[ \t,]/;

/** A cursor over the header with the RFC 9110 §5.6 rules it needs. */
class Scanner {
  at = 0;
  constructor(readonly input: string) {}

  get done(): boolean {
    return this.at >= this.input.length;
  }

  peek(): string | undefined {
    return this.input[this.at];
  }

  skip(chars: RegExp): void {
    while (!this.done && chars.test(this.peek()!)) this.at++;
  }

  token(): string {
    const start = this.at;
    while (!this.done && TCHAR.test(this.peek()!)) this.at++;
    return this.input.slice(start, this.at);
  }

  /** A quoted-string with its quoted-pairs unescaped; `undefined` when it is not terminated. */
  quoted(): string | undefined {
    let value = '';
    for (this.at++; !this.done; this.at++) {
      if (this.peek() === '"') {
        this.at++;
        return value;
      }
      if (this.peek() === '\\') this.at++;
      value += this.peek() ?? '';
    }
    return undefined;
  }

  /** An auth-param (`name BWS "=" BWS value`), or `undefined` with the cursor left where it was. */
  param(): [string, string] | undefined {
    const start = this.at;
    const name = this.token();
    this.skip(SPACE);
    if (name && this.peek() === '=') {
      this.at++;
      this.skip(SPACE);
      const value = this.peek() === '"' ? this.quoted() : this.token() || undefined;
      if (value !== undefined) return [name.toLowerCase(), value];
    }
    this.at = start;
    return undefined;
  }

  /** A token68 that makes up the whole rest of the challenge. */
  token68(): string | undefined {
    const found = TOKEN68.exec(this.input.slice(this.at))?.[0];
    if (found === undefined) return undefined;
    const rest = this.input.slice(this.at + found.length).trimStart();
    if (rest !== '' && !rest.startsWith(',')) return undefined;
    this.at += found.length;
    return found;
  }
}

/** After a challenge: the end of the header, or a comma before the next challenge. */
function atBoundary(scanner: Scanner): boolean {
  scanner.skip(SPACE);
  return scanner.done || scanner.peek() === ',';
}

/** Reads auth-params into `params` while the next list element is one (else it is the next challenge). */
function readParams(scanner: Scanner, params: Record<string, string>): void {
  for (;;) {
    const start = scanner.at;
    // Empty list elements are allowed around auth-params (RFC 9110 §5.6.1).
    scanner.skip(SEPARATOR);
    const next = scanner.param();
    if (next === undefined) {
      scanner.at = start;
      return;
    }
    params[next[0]] ??= next[1];
    if (!atBoundary(scanner)) return;
  }
}

/** Several field lines of the header make one comma-separated list (RFC 9110 §5.3). */
function headerText(header: unknown): string {
  if (typeof header === 'string') return header;
  if (!Array.isArray(header)) return '';
  return header.filter((line): line is string => typeof line === 'string').join(', ');
}

/**
 * Reads a `WWW-Authenticate` (or `Proxy-Authenticate`) header per RFC 9110 §11.6.1: several challenges
 * separated by commas, each a scheme followed by a token68 or by comma-separated auth-params whose
 * values are tokens or quoted strings (with `\` escapes). Parsing stops at the first malformed part
 * (such as two elements no comma separates) and returns the challenges read until then; it never throws.
 */
export function parseWwwAuthenticate(header: string | readonly string[] | null | undefined): Challenge[] {
  const scanner = new Scanner(headerText(header));
  const challenges: Challenge[] = [];
  for (;;) {
    scanner.skip(SEPARATOR);
    // At the end of the header, as after a malformed part, there is no scheme to read.
    const scheme = scanner.token();
    if (!scheme || !(scanner.done || SEPARATOR.test(scanner.peek()!))) return challenges;
    const challenge: Challenge = { scheme, params: {}, token68: undefined };
    challenges.push(challenge);
    scanner.skip(SPACE);
    challenge.token68 = scanner.token68();
    if (challenge.token68 === undefined) readParams(scanner, challenge.params);
    if (!atBoundary(scanner)) return challenges;
  }
}
