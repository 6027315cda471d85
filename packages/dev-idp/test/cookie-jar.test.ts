import { describe, expect, it } from 'vitest';
import { CookieJar } from '../src/cookie-jar.js';

const base = new URL('http://localhost:4000/authorize');

describe('CookieJar', () => {
  it('sends a cookie only on its path and below it', () => {
    const jar = new CookieJar();
    jar.store(base, ['_interaction=abc; path=/interaction/uid1; httponly; samesite=lax']);
    expect(jar.header(new URL('http://localhost:4000/interaction/uid1'))).toBe('_interaction=abc');
    expect(jar.header(new URL('http://localhost:4000/interaction/uid1/login'))).toBe('_interaction=abc');
    expect(jar.header(new URL('http://localhost:4000/interaction/uid10'))).toBeUndefined();
    expect(jar.header(new URL('http://localhost:4000/authorize'))).toBeUndefined();
  });

  it('forgets cookies that the server expires', () => {
    const jar = new CookieJar();
    jar.store(base, ['_session=s1; path=/']);
    expect(jar.header(base)).toBe('_session=s1');
    jar.store(base, ['_session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar.header(base)).toBeUndefined();
    jar.store(base, ['a=1; path=/', 'a=1; path=/; max-age=0']);
    expect(jar.header(base)).toBeUndefined();
  });

  it('replaces a cookie with the same name and path, and sends the more specific path first', () => {
    const jar = new CookieJar();
    jar.store(base, ['a=1; path=/', 'a=2; path=/', 'b=3; path=/authorize']);
    expect(jar.header(base)).toBe('b=3; a=2');
  });

  it('defaults the path to the request directory and ignores malformed headers', () => {
    const jar = new CookieJar();
    jar.store(new URL('http://localhost:4000/interaction/uid/login'), ['c=1', 'garbage', '=novalue']);
    expect(jar.header(new URL('http://localhost:4000/interaction/uid'))).toBe('c=1');
    expect(jar.header(new URL('http://localhost:4000/'))).toBeUndefined();
  });
});
