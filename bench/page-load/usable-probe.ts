import type { BrowserContext, Page } from 'playwright-core';

/**
 * The moment a page becomes usable, taken inside the page: an init script watches the DOM from the
 * first byte of the document and stamps `performance.now()` (time since the navigation started)
 * the first time the sign shows. The stamp is the page's own, so no polling from outside delays it.
 */

/** 'qr-code': the QR code drawn, waiting for its scan (desktop, phone browsers). 'one-tap': WeChat's one-tap button. */
export type UsableSign = 'qr-code' | 'one-tap';

/**
 * The widget (admin-ui/src/components/wechat-login/WechatLoginWidget.vue) puts the code in `img.wl-qr`:
 * an SVG (computer) or PNG (phone) data URL drawn in the page, WeChat's image URL only if drawing failed.
 * `data-status="waiting"` means no overlay covers it.
 */
export const QR_IMAGE_SELECTOR = '.wl[data-status="waiting"] img.wl-qr';
export const ONE_TAP_SELECTOR = '[data-testid="wechat-one-tap"]';

export interface UsableMoment {
  /** Since the navigation started (the page's time origin). */
  sinceNavigationMs: number;
  /** The same moment on the wall clock, to compare with the network's timestamps. */
  atEpochMs: number;
  /** qr-drawn: drawn in the page; qr-image: loaded from the server; one-tap: the button. */
  detail: 'qr-drawn' | 'qr-image' | 'one-tap';
}

const MARK = '__benchUsable';

/** Plain JavaScript: it runs in the page, before any of the page's own scripts. */
function probeSource(sign: UsableSign): string {
  return `(() => {
  if (window !== window.top) return;
  const read = () => {
    if (${JSON.stringify(sign)} === 'one-tap') {
      const button = document.querySelector(${JSON.stringify(ONE_TAP_SELECTOR)});
      return button && button.getClientRects().length > 0 ? 'one-tap' : null;
    }
    const image = document.querySelector(${JSON.stringify(QR_IMAGE_SELECTOR)});
    if (!image || !image.complete || image.naturalWidth === 0) return null;
    return image.currentSrc.startsWith('data:') ? 'qr-drawn' : 'qr-image';
  };
  const check = () => {
    if (window.${MARK}) return;
    const detail = read();
    if (!detail) return;
    const now = performance.now();
    window.${MARK} = { sinceNavigationMs: now, atEpochMs: performance.timeOrigin + now, detail };
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  // An image becomes complete after the mutation that set its src: its load event (which does not bubble) says when.
  document.addEventListener('load', check, true);
})();`;
}

/** Every page of the context gets the probe, reloads included. */
export async function installUsableProbe(context: BrowserContext, sign: UsableSign): Promise<void> {
  await context.addInitScript({ content: probeSource(sign) });
}

/** The stamp of the current document, once the sign shows; within `timeoutMs` or an error saying what the page shows. */
export async function waitForUsable(page: Page, timeoutMs: number): Promise<UsableMoment> {
  try {
    // A function, not a string: the pages' CSP forbids eval, which a string predicate would need.
    await page.waitForFunction((mark) => (globalThis as unknown as Record<string, unknown>)[mark] !== undefined, MARK, { timeout: timeoutMs, polling: 50 });
  } catch (error) {
    const shows = await page
      .evaluate(`(() => { const w = document.querySelector('.wl'); return JSON.stringify({ url: location.href, title: document.title, widget: w && { mode: w.dataset.mode, status: w.dataset.status } }); })()`)
      .catch(() => 'unknown');
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`the page was not usable (${reason}); it shows ${String(shows)}`, { cause: error });
  }
  return (await page.evaluate((mark) => (globalThis as unknown as Record<string, unknown>)[mark], MARK)) as UsableMoment;
}
