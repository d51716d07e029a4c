import { DEFAULT_WECHAT_EMAIL_DOMAIN, SiteInfoSchema } from '@wechat-login/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLACEHOLDER_EMAIL_DOMAIN, SITE_INFO_CHECK } from './site';

const VALID = {
  siteName: 'Example',
  wechat: { enabled: true, simulatorUrl: null, webAuthorization: false },
  placeholderEmailDomain: 'wechat.placeholder',
};

// The site facts come from the network: whatever arrives, the hand-written check answers as the shared schema does.
const ANSWERS: Array<[string, unknown]> = [
  ['the facts', VALID],
  ['a simulator link', { ...VALID, wechat: { ...VALID.wechat, simulatorUrl: '/__wechat-simulator/' } }],
  ['unknown fields, which are dropped', { ...VALID, admin: true, wechat: { ...VALID.wechat, appSecret: 's' } }],
  ['nothing', undefined],
  ['null', null],
  ['an array', [VALID]],
  ['a string', JSON.stringify(VALID)],
  ['no wechat', { ...VALID, wechat: undefined }],
  ['wechat as an array', { ...VALID, wechat: [VALID.wechat] }],
  ['"true" for a boolean', { ...VALID, wechat: { ...VALID.wechat, enabled: 'true' } }],
  ['no webAuthorization', { ...VALID, wechat: { enabled: true, simulatorUrl: null } }],
  ['a number for the simulator link', { ...VALID, wechat: { ...VALID.wechat, simulatorUrl: 1 } }],
  ['no simulator link at all', { ...VALID, wechat: { enabled: true, webAuthorization: true } }],
  ['a number for the site name', { ...VALID, siteName: 42 }],
  ['no placeholder domain', { siteName: 'x', wechat: VALID.wechat }],
  ['an own __proto__ field', JSON.parse('{"__proto__": {"siteName": "x"}, "wechat": {"enabled": true, "simulatorUrl": null, "webAuthorization": false}}')],
];

describe('the site facts check', () => {
  it.each(ANSWERS)('answers as SiteInfoSchema for %s', (_label, value) => {
    const expected = SiteInfoSchema.safeParse(value);
    const actual = SITE_INFO_CHECK.safeParse(value);

    expect(actual.success).toBe(expected.success);
    if (actual.success && expected.success) expect(actual.data).toEqual(expected.data);
  });

  it('falls back to the same placeholder email domain as the server', () => {
    expect(DEFAULT_PLACEHOLDER_EMAIL_DOMAIN).toBe(DEFAULT_WECHAT_EMAIL_DOMAIN);
  });
});
