import { WECHAT_PUBLIC_PATH, WECHAT_PUBLIC_ROUTES, type ConfirmedScanResult, type Qrcode, type ScanResult } from '@wechat-login/shared';

/** The guide's polling interval, kept as the fallback when the push channel is unavailable. */
export const SCAN_POLL_INTERVAL_MS = 2_000;

/** A scan confirmed on the phone (or one that needed no confirmation): the code can be used. */
export type ScannedResult = ConfirmedScanResult;

/** An error from our routes, with the code the UI translates. */
export class ScanWaitError extends Error {
  override readonly name = 'ScanWaitError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function readJson<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as { success?: boolean; data?: T; error?: { code: string; message: string } } | null;
  if (response.ok && body?.success) return body.data as T;
  throw new ScanWaitError(body?.error?.code ?? 'NETWORK_ERROR', body?.error?.message ?? `HTTP ${response.status}`, response.status);
}

export async function fetchQrcode(origin: string, purpose: 'login' | 'bind' = 'login', signal?: AbortSignal): Promise<Qrcode> {
  const url = `${origin}${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.getQrcode}${purpose === 'bind' ? '?purpose=bind' : ''}`;
  return readJson<Qrcode>(await fetch(url, { credentials: 'include', signal }));
}

export async function fetchScanResult(origin: string, sceneId: string, signal?: AbortSignal): Promise<ScanResult> {
  const url = `${origin}${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.getScanResult}?sceneId=${encodeURIComponent(sceneId)}`;
  return readJson<ScanResult>(await fetch(url, { credentials: 'include', signal }));
}

export interface WaitForScanOptions {
  signal?: AbortSignal;
  pollIntervalMs?: number;
  /** Called when the page switches from the push channel to polling. */
  onFallback?: () => void;
  /** Called once the code is scanned and waits for the confirmation on the phone. */
  onAwaitingConfirmation?: () => void;
}

/**
 * Resolves when the scan is confirmed on the phone: through server-sent events
 * at once, or by polling get-scan-result when EventSource is missing or fails.
 * Rejects with a ScanWaitError (SCENE_EXPIRED, SCENE_DENIED when the phone
 * said "this wasn't me", …) or an AbortError when cancelled.
 */
export function waitForScan(origin: string, sceneId: string, options: WaitForScanOptions = {}): Promise<ScannedResult> {
  const { signal, pollIntervalMs = SCAN_POLL_INTERVAL_MS } = options;
  return new Promise<ScannedResult>((resolve, reject) => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      source?.close();
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => finish(() => reject(signal?.reason ?? new DOMException('Aborted', 'AbortError')));
    let toldAwaiting = false;
    /** True when the result settles the wait. */
    const settleOn = (result: ScanResult): boolean => {
      if (result.status === 'confirmed') {
        finish(() => resolve(result));
        return true;
      }
      if (result.status === 'denied') {
        finish(() => reject(new ScanWaitError('SCENE_DENIED', 'The sign-in was refused on the phone.')));
        return true;
      }
      if (result.status === 'scanned' && !toldAwaiting) {
        toldAwaiting = true;
        options.onAwaitingConfirmation?.();
      }
      return false;
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);

    const poll = async () => {
      if (settled) return;
      try {
        if (settleOn(await fetchScanResult(origin, sceneId, signal))) return;
      } catch (error) {
        if (error instanceof ScanWaitError && error.code !== 'NETWORK_ERROR' && error.status !== 429 && (error.status ?? 500) < 500) {
          return finish(() => reject(error));
        }
      }
      if (!settled) timer = setTimeout(() => void poll(), pollIntervalMs);
    };
    const fallBackToPolling = () => {
      source?.close();
      source = null;
      options.onFallback?.();
      void poll();
    };

    if (typeof EventSource === 'undefined') return fallBackToPolling();
    source = new EventSource(`${origin}${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.scanEvents}?sceneId=${encodeURIComponent(sceneId)}`, { withCredentials: true });
    source.addEventListener('scan', (event) => {
      settleOn(JSON.parse(String((event as MessageEvent).data)) as ScanResult);
    });
    source.addEventListener('expired', () => finish(() => reject(new ScanWaitError('SCENE_EXPIRED', 'This QR code has expired.'))));
    // An error (refused, proxy without streaming, the stream closed): polling tells us why or keeps going.
    source.onerror = () => {
      if (!settled) fallBackToPolling();
    };
  });
}
