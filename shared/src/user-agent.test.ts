import { describe, expect, it } from 'vitest';
import { describeUserAgent, userAgentLabel } from './user-agent.js';

describe('reading a User-Agent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36', 'Chrome · Linux', 'Chrome 156 · Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0', 'Edge · Windows', 'Edge 120 · Windows'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40', 'WeChat · iOS', 'WeChat 8 · iOS'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15', 'Safari · macOS', 'Safari 17 · macOS'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox · Windows', 'Firefox 133 · Windows'],
    ['Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36 OPR/85.0', 'Opera · Android', 'Opera 85 · Android'],
  ])('names the browser and system of %s', (userAgent, label, withVersion) => {
    expect(userAgentLabel(userAgent)).toBe(label);
    expect(userAgentLabel(userAgent, { withVersion: true })).toBe(withVersion);
  });

  it.each([null, undefined, '', 'curl/8.5.0'])('has no description for %j', (userAgent) => {
    expect(userAgentLabel(userAgent)).toBeNull();
  });

  it('lets nothing of the header itself through', () => {
    expect(describeUserAgent('<script>alert(1)</script> Chrome/99 (Windows)')).toEqual({ browser: 'Chrome', version: '99', os: 'Windows' });
    expect(describeUserAgent(`${'x'.repeat(600)} Chrome/99`)).toEqual({ browser: null, version: null, os: null });
  });
});
