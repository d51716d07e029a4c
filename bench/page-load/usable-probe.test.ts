import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumIfInstalled, CHROMIUM_PATH } from './chromium.js';
import { installUsableProbe, waitForUsable } from './usable-probe.js';

/** How long the test pages take to show their sign: the stamp must come after it, never before. */
const SHOWN_AFTER_MS = 300;
const SVG = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>');

/** Pages shaped like the widget's states, under a CSP like the app's (no eval, no inline script). */
const SCRIPTS: Record<string, string> = {
  // The QR widget first waits with no image, then loading, then the code drawn.
  '/qr.js': `
    const root = document.createElement('div'); root.className = 'wl'; root.dataset.status = 'loading';
    const image = document.createElement('img'); image.className = 'wl-qr'; root.append(image); document.body.append(root);
    setTimeout(() => { image.src = ${JSON.stringify(SVG)}; root.dataset.status = 'waiting'; }, ${SHOWN_AFTER_MS});`,
  // The QR image drawn while an overlay (status 'expired') covers it, never waiting: not usable.
  '/covered.js': `
    document.body.innerHTML = '<div class="wl" data-status="expired"><img class="wl-qr" src=${JSON.stringify(SVG)}></div>';`,
  // The one-tap button, in the page but hidden, then shown.
  '/one-tap.js': `
    document.body.innerHTML = '<button data-testid="wechat-one-tap" style="display:none">sign in</button>';
    setTimeout(() => { document.querySelector('button').style.display = 'block'; }, ${SHOWN_AFTER_MS});`,
};

let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer((req, res) => {
    const script = SCRIPTS[req.url ?? ''];
    if (script) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': "script-src 'self'" });
    res.end(`<!doctype html><body><script src="${req.url}.js"></script></body>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const launched = await launchChromiumIfInstalled();
  if (!launched) throw new Error(`these tests need Chromium at ${CHROMIUM_PATH}`);
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
});

async function stampOf(path: string, sign: 'qr-code' | 'one-tap', timeoutMs = 10_000) {
  const context = await browser.newContext();
  try {
    await installUsableProbe(context, sign);
    const page = await context.newPage();
    await page.goto(`${baseUrl}${path}`);
    return await waitForUsable(page, timeoutMs);
  } finally {
    await context.close();
  }
}

describe('the usable probe', () => {
  it('stamps the QR code once it is drawn and waiting, not when its empty frame appears', async () => {
    const stamp = await stampOf('/qr', 'qr-code');
    expect(stamp.detail).toBe('qr-drawn');
    expect(stamp.sinceNavigationMs).toBeGreaterThanOrEqual(SHOWN_AFTER_MS);
    expect(stamp.atEpochMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('does not count a QR code under an overlay, and says what the page shows instead', async () => {
    await expect(stampOf('/covered', 'qr-code', 1500)).rejects.toThrow(/"status":"expired"/);
  });

  it('stamps the one-tap button once it is shown, not while it is hidden', async () => {
    const stamp = await stampOf('/one-tap', 'one-tap');
    expect(stamp.detail).toBe('one-tap');
    expect(stamp.sinceNavigationMs).toBeGreaterThanOrEqual(SHOWN_AFTER_MS);
  });
});
