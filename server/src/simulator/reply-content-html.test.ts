import { describe, expect, it } from 'vitest';
import { replyContentHtml } from './dev-pages.js';
import { linksInReply } from './in-app-browser.js';

describe('a text reply as the simulated chat shows it', () => {
  it('makes http(s) links tappable and escapes everything else', () => {
    const content = '你正在登录 <b>x</b>\n<a href="http://localhost:3000/api/v1/pub/mp/confirm/abc?t=x&y">确认登录</a>\n<a href="javascript:alert(1)">no</a>';
    const html = replyContentHtml(content);
    expect(html).toContain('<a href="http://localhost:3000/api/v1/pub/mp/confirm/abc?t=x&amp;y" target="_blank" rel="noopener">确认登录</a>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('href="javascript:');
    expect(linksInReply(content)).toEqual([{ href: 'http://localhost:3000/api/v1/pub/mp/confirm/abc?t=x&y', text: '确认登录' }]);
  });
});
