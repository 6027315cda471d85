import { describe, expect, it } from 'vitest';
import { loopbackAuthority, namesListener } from '../src/loopback-listener.js';

// Tests cannot bind port 80: the listener's rules for its authority and Host header are checked here,
// its behaviour on a port it can bind in loopback-listener.test.ts.
describe('the loopback authority on the default port 80 (RFC 9110 §4.2.1, §7.2)', () => {
  it('leaves :80 out of the redirect URI, as a browser writes the URL', () => {
    expect(loopbackAuthority('127.0.0.1', 80)).toBe('127.0.0.1');
    expect(loopbackAuthority('::1', 80)).toBe('[::1]');
    expect(loopbackAuthority('127.0.0.1', 8484)).toBe('127.0.0.1:8484');
    expect(loopbackAuthority('::1', 8484)).toBe('[::1]:8484');
  });

  it('accepts the Host a browser sends for port 80 (none), or an explicit :80', () => {
    expect(namesListener('127.0.0.1', '127.0.0.1', 80)).toBe(true);
    expect(namesListener('127.0.0.1:80', '127.0.0.1', 80)).toBe(true);
    expect(namesListener('[::1]', '::1', 80)).toBe(true);
  });

  it('still turns away another host or port', () => {
    for (const host of [undefined, '', 'localhost', 'evil.example', '127.0.0.1:8080', '127.0.0.1/x', '[::1]'])
      expect(namesListener(host, '127.0.0.1', 80)).toBe(false);
    expect(namesListener('127.0.0.1', '127.0.0.1', 8484)).toBe(false);
    expect(namesListener('127.0.0.1:8484', '127.0.0.1', 8484)).toBe(true);
  });
});
