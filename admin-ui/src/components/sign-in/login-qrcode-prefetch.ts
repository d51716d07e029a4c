import type { Qrcode } from '@wechat-login/shared';
import type { WechatLoginClient } from '@/components/wechat-login/wechat-login-client';

interface PrefetchedQrcode {
  issued: Qrcode;
  receivedAtMs: number;
}

export interface LoginQrcodePrefetch {
  /** The client to give the widget: its first sign-in QR code is the prefetched one, when there is one. */
  client: WechatLoginClient;
  /** Asks for a sign-in QR code now, before the page that shows it has loaded. Once; later calls do nothing. */
  prefetchLoginQrcode(): void;
}

/**
 * The sign-in page's QR code, asked for as the app starts rather than once the page, the site facts and the
 * widget have loaded one after the other. The widget still runs the code's life (waiting for the scan, the
 * countdown, replacing it): only its first `getQrcode` is answered from here, and only with a code that has
 * at least half of its time left; it is told the time that is left. A prefetch that failed fails that first
 * call, as the widget's own request would have. `now` is for tests.
 */
export function withLoginQrcodePrefetch(base: WechatLoginClient, now: () => number = Date.now): LoginQrcodePrefetch {
  let prefetched: Promise<PrefetchedQrcode> | null = null;
  let used = false;

  function prefetchLoginQrcode(): void {
    if (prefetched || used) return;
    // Nobody may ever ask for it (the visitor turns out to be signed in): the widget's own request has no signal either.
    prefetched = base
      .getQrcode({ purpose: 'login', signal: new AbortController().signal })
      .then((issued) => ({ issued, receivedAtMs: now() }));
    // Its failure is the widget's to show, if it asks; until then it is no unhandled rejection.
    prefetched.catch(() => undefined);
  }

  function takePrefetched(): Promise<PrefetchedQrcode> | null {
    const taken = prefetched;
    prefetched = null;
    used = true;
    return taken;
  }

  async function getQrcode(input: Parameters<WechatLoginClient['getQrcode']>[0]): Promise<Qrcode> {
    const taken = input.purpose === 'login' ? takePrefetched() : null;
    if (!taken) return base.getQrcode(input);
    const { issued, receivedAtMs } = await taken;
    const secondsLeft = issued.expiresIn - Math.ceil((now() - receivedAtMs) / 1_000);
    if (secondsLeft < issued.expiresIn / 2) return base.getQrcode(input);
    return { ...issued, expiresIn: secondsLeft };
  }

  return { client: { ...base, getQrcode }, prefetchLoginQrcode };
}
