import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsInText } from './redact-url.js';

describe('redactUrl', () => {
  it("keeps the path and every name, and hides a signed webhook query's values", () => {
    expect(redactUrl('/api/v1/pub/mp/webhook?signature=899cf89e&timestamp=1714037059&nonce=486452656&openid=oAbc&encrypt_type=aes&msg_signature=046e02f8')).toBe(
      '/api/v1/pub/mp/webhook?signature=[redacted]&timestamp=1714037059&nonce=[redacted]&openid=[redacted]&encrypt_type=[redacted]&msg_signature=[redacted]',
    );
    // (`encrypt_type` falls under the shared secret-word rule's "encrypt": hiding "aes" costs nothing.)
    expect(redactUrl('/webhook?signature=a&timestamp=1&nonce=2&echostr=4375120948345356249')).toBe('/webhook?signature=[redacted]&timestamp=1&nonce=[redacted]&echostr=[redacted]');
  });

  it('hides the confirmation token, OAuth code and state, a QR ticket and secret-looking names', () => {
    expect(redactUrl('/api/v1/pub/mp/confirm/abc?t=tok&lang=en')).toBe('/api/v1/pub/mp/confirm/abc?t=[redacted]&lang=en');
    expect(redactUrl('https://x.example/cb?code=c&state=s&ticket=q')).toBe('https://x.example/cb?code=[redacted]&state=[redacted]&ticket=[redacted]');
    expect(redactUrl('/cgi-bin/qrcode/create?access_token=AT')).toBe('/cgi-bin/qrcode/create?access_token=[redacted]');
    expect(redactUrl('/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=S')).toBe('/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=[redacted]');
    expect(redactUrl('/x?refreshToken=R&apiKey=K&password=P')).toBe('/x?refreshToken=[redacted]&apiKey=[redacted]&password=[redacted]');
  });

  it('sees through disguised names: brackets, percent-encoding, + and upper case', () => {
    expect(redactUrl('/x?signature%5B%24ne%5D=S&%74=T&NONCE=N&Open%49d=O&t[]=A&msg+signature=M')).toBe(
      '/x?signature%5B%24ne%5D=[redacted]&%74=[redacted]&NONCE=[redacted]&Open%49d=[redacted]&t[]=[redacted]&msg+signature=[redacted]',
    );
    // An undecodable name is compared as written.
    expect(redactUrl('/x?%ZZtoken=V')).toBe('/x?%ZZtoken=[redacted]');
  });

  it('hides a bearer credential or a JWT under any name, and drops a fragment', () => {
    expect(redactUrl('/x?h=Bearer%20abc&j=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl&ok=1')).toBe('/x?h=[redacted]&j=[redacted]&ok=1');
    expect(redactUrl('/cb#access_token=AT&state=S')).toBe('/cb#[redacted]');
  });

  it('keeps a URL without a query as it is, an empty value, and cuts a huge kept value', () => {
    expect(redactUrl('/api/v1/pub/mp/get-qrcode')).toBe('/api/v1/pub/mp/get-qrcode');
    expect(redactUrl('/x?t=&a')).toBe('/x?t=&a');
    const long = redactUrl(`/x?pad=${'p'.repeat(10_000)}`);
    expect(long.length).toBeLessThan(200);
    expect(long.startsWith('/x?pad=ppp')).toBe(true);
  });
});

describe('redactUrlsInText', () => {
  it('redacts every query inside a message, keeping the rest of the text', () => {
    expect(redactUrlsInText('Invalid callbackURL: https://evil.example/cb?code=C&state=S&lang=en (refused)')).toBe(
      'Invalid callbackURL: https://evil.example/cb?code=[redacted]&state=[redacted]&lang=en (refused)',
    );
    expect(redactUrlsInText('"/a?t=1" and \'/b?nonce=2\'')).toBe('"/a?t=[redacted]" and \'/b?nonce=[redacted]\'');
    expect(redactUrlsInText('Are you sure? yes')).toBe('Are you sure? yes');
  });
});
