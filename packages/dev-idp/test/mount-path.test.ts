import { describe, expect, it } from 'vitest';
import { beneathIssuer, mountPathOf } from '../src/mount-path.js';

// A run of slashes that does not end the string made /\/+$/ retry from each of them: 300,000 took
// minutes, past the test timeout; trimming from the end takes one pass.
const RUN = '/'.repeat(300_000);

describe('mount paths of issuers with long runs of slashes', () => {
  it('mounts beneath the whole path, without its trailing slashes', () => {
    expect(mountPathOf(`http://localhost:4000${RUN}tenant`)).toBe(`${RUN}tenant`);
    expect(mountPathOf(`http://localhost:4000/tenant${RUN}`)).toBe('/tenant');
    expect(mountPathOf(`http://localhost:4000${RUN}`)).toBe('');
  });

  it('puts endpoints beneath the issuer, one slash apart', () => {
    const issuer = `http://localhost:4000${RUN}tenant${RUN}`;
    expect(beneathIssuer(issuer, '/token')).toBe(`http://localhost:4000${RUN}tenant/token`);
  });
});
