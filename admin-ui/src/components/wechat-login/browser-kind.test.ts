import { describe, expect, it } from 'vitest';
import { browseWith, USER_AGENTS } from '@/test-support/user-agents';
import { browserKindOf, readBrowserKind } from './browser-kind';

describe('which browser the widget is in', () => {
  it.each([
    ['WeChat on an iPhone', USER_AGENTS.wechatIphone, 'wechat'],
    ['WeChat on Android', USER_AGENTS.wechatAndroid, 'wechat'],
    ['WeCom, which has no web authorization', USER_AGENTS.wecomIphone, 'mobile'],
    ['Safari on an iPhone', USER_AGENTS.safariIphone, 'mobile'],
    ['Chrome on a computer', USER_AGENTS.chromeDesktop, 'desktop'],
    ['no user agent at all', '', 'desktop'],
  ])('%s → %s', (_label, userAgent, kind) => {
    expect(browserKindOf(userAgent)).toBe(kind);
  });

  it('reads the page\'s own user agent', () => {
    browseWith(USER_AGENTS.wechatAndroid);
    expect(readBrowserKind()).toBe('wechat');
  });
});
