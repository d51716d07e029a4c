import { describe, expect, it } from 'vitest';
import { negotiateContentEncoding, type ContentCoding } from '../../src/http/accept-encoding.js';

const BOTH: ContentCoding[] = ['br', 'gzip'];

describe('Accept-Encoding negotiation', () => {
  it.each([
    // What clients send
    ['gzip, deflate, br, zstd', 'br'], // Chrome
    ['gzip, deflate', 'gzip'], // Node's fetch over http
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', 'br'],
    ['deflate', 'identity'],
    ['', 'identity'],
    // q-values
    ['gzip;q=0.9, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, identity', 'identity'],
    ['br;q=0.5', 'br'], // identity not named: not preferred over what is
    ['br;q=0, gzip', 'gzip'],
    ['br; q=0 , gzip', 'gzip'],
    ['gzip;q=0.001', 'gzip'],
    // Refusals and wildcards
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['*;q=0', 'identity'], // nothing acceptable: identity rather than a 406
    ['identity;q=0', 'identity'],
    ['identity;q=0, gzip;q=0.1', 'gzip'],
    ['br, br;q=0, gzip', 'gzip'], // named twice: the refusal stands
    ['br;q=0, br, gzip;q=0.5', 'gzip'],
    ['br, br;q=0', 'identity'],
    // Spelling
    ['BR, GZIP', 'br'],
    ['x-gzip', 'gzip'],
    ['  br  ,  gzip  ', 'br'],
  ] as const)('%j → %s', (header, expected) => {
    expect(negotiateContentEncoding(header, BOTH)).toBe(expected);
  });

  it('sends identity to a request without the header: it may come from a client that cannot decode', () => {
    expect(negotiateContentEncoding(undefined, BOTH)).toBe('identity');
  });

  it('never reads a malformed q-value as a yes', () => {
    for (const header of ['br;q=2', 'br;q=1.5', 'br;q=-1', 'br;q=abc', 'br;q=0.0001', 'br;q=', 'br;q=0x1', 'br;q=Infinity', 'br;q=1e0']) {
      expect(negotiateContentEncoding(header, BOTH), header).toBe('identity');
      expect(negotiateContentEncoding(`${header}, gzip`, BOTH), header).toBe('gzip');
    }
  });

  it('chooses only among the codings on offer', () => {
    expect(negotiateContentEncoding('br, gzip', ['gzip'])).toBe('gzip');
    expect(negotiateContentEncoding('br', ['gzip'])).toBe('identity');
    expect(negotiateContentEncoding('br, gzip', [])).toBe('identity');
    expect(negotiateContentEncoding('zstd, deflate, compress', BOTH)).toBe('identity');
  });

  it('copes with hostile headers: thousands of entries, empty entries, parameters without values', () => {
    expect(negotiateContentEncoding(`${'a;q=0.5,'.repeat(5000)}gzip`, BOTH)).toBe('gzip');
    expect(negotiateContentEncoding(',,,;;;,=,q=1,;q=1', BOTH)).toBe('identity');
    expect(negotiateContentEncoding('br;foo;level=11;q=0.7', BOTH)).toBe('br');
    expect(negotiateContentEncoding('br;q;=, gzip;=;q=0.2', BOTH)).toBe('gzip');
    expect(negotiateContentEncoding('__proto__, constructor, br;q=0', BOTH)).toBe('identity');
  });
});
