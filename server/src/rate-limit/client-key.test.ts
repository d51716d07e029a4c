import { describe, expect, it } from 'vitest';
import { rateLimitClientKey } from './client-key.js';

describe('rateLimitClientKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(rateLimitClientKey('203.0.113.9')).toBe('203.0.113.9');
  });

  it.each(['::ffff:203.0.113.9', '::FFFF:203.0.113.9', '::ffff:cb00:7109', '0:0:0:0:0:ffff:203.0.113.9', '0000:0000:0000:0000:0000:ffff:cb00:7109'])(
    'reads the IPv4-mapped form %s as the IPv4 address',
    (ip) => {
      expect(rateLimitClientKey(ip)).toBe('203.0.113.9');
    },
  );

  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const keys = ['2001:db8:7:7::1', '2001:DB8:7:7:ffff:ffff:ffff:fffe', '2001:0db8:0007:0007:0:0:0:2', '2001:db8:7:7:1::1.2.3.4', '2001:db8:7:7::1%eth0'].map(rateLimitClientKey);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:7:7::/64']));
  });

  it('keeps neighbouring /64s and the compressed forms around "::" apart', () => {
    expect(rateLimitClientKey('2001:db8:7:8::1')).toBe('2001:db8:7:8::/64');
    expect(rateLimitClientKey('2001:db8::7:7:0:1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitClientKey('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitClientKey('::')).toBe('0:0:0:0::/64');
    // IPv4-compatible (not mapped) is plain IPv6.
    expect(rateLimitClientKey('::203.0.113.9')).toBe('0:0:0:0::/64');
  });

  it('keeps anything that is not an address unchanged', () => {
    expect(rateLimitClientKey('unknown')).toBe('unknown');
    expect(rateLimitClientKey('')).toBe('');
  });
});
