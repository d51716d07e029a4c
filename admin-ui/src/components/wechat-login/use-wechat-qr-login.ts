import { ref, shallowRef } from 'vue';
import type { Qrcode } from '@wechat-login/shared';
import type { WechatLoginClient, WechatQrPurpose, WechatScan, WechatSignedInUser, WechatSignInInfo } from './wechat-login-client';

/**
 * loading → waiting (QR shown, counting down) → confirming (scanned; the person confirms on the phone)
 * → scanned (confirmed) → signed-in (purpose login; for purpose bind the page takes over at "scanned").
 * `denied` when the phone said "this wasn't me". A code that expires is replaced by a fresh one; after
 * MAX_AUTO_REFRESHES unattended replacements the widget waits for a click (`expired`), so a forgotten
 * tab does not spend the Official Account's QR quota all day. `failed` holds an error code.
 */
export type WechatQrStatus = 'loading' | 'waiting' | 'confirming' | 'scanned' | 'signed-in' | 'denied' | 'expired' | 'failed';

export interface WechatQrLoginOptions {
  client: WechatLoginClient;
  purpose: () => WechatQrPurpose;
  onScanned: (scan: WechatScan) => void;
  onSignedIn: (user: WechatSignedInUser, info: WechatSignInInfo) => void;
  onError: (code: string) => void;
}

export const MAX_AUTO_REFRESHES = 10;
const COUNTDOWN_TICK_MS = 1_000;
/** The scene is gone or spent: a fresh code is the answer, not an error message. */
const STALE_SCENE_CODES = new Set(['SCENE_EXPIRED', 'SCENE_NOT_FOUND', 'SCENE_ALREADY_USED']);

/** The stable code of a failure: a ScanWaitError's or better-auth's `code`, else a network failure. */
export function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0 ? code : 'NETWORK_ERROR';
}

export function useWechatQrLogin(options: WechatQrLoginOptions) {
  const status = ref<WechatQrStatus>('loading');
  const qrcode = shallowRef<Qrcode | null>(null);
  const secondsLeft = ref(0);
  const errorCode = ref<string | null>(null);
  /** True once the push channel failed and the page polls every 2 s instead. */
  const polling = ref(false);

  /** One controller per QR code: aborting it cancels that code's request, push channel and polling. */
  let cycle: AbortController | null = null;
  let countdownTimer: ReturnType<typeof setInterval> | null = null;
  let expiresAtMs = 0;
  let autoRefreshes = 0;
  let stopped = false;

  function stopCountdown(): void {
    if (countdownTimer !== null) clearInterval(countdownTimer);
    countdownTimer = null;
  }

  function endCycle(): void {
    cycle?.abort();
    cycle = null;
    stopCountdown();
  }

  function fail(code: string): void {
    endCycle();
    status.value = 'failed';
    errorCode.value = code;
    options.onError(code);
  }

  async function start(): Promise<void> {
    endCycle();
    if (stopped) return;
    const controller = new AbortController();
    cycle = controller;
    status.value = 'loading';
    errorCode.value = null;
    polling.value = false;
    try {
      const issued = await options.client.getQrcode({ purpose: options.purpose(), signal: controller.signal });
      if (!controller.signal.aborted) showQrcode(issued, controller);
    } catch (error) {
      if (!controller.signal.aborted) fail(errorCodeOf(error));
    }
  }

  function showQrcode(issued: Qrcode, controller: AbortController): void {
    qrcode.value = issued;
    status.value = 'waiting';
    expiresAtMs = Date.now() + issued.expiresIn * 1_000;
    secondsLeft.value = issued.expiresIn;
    countdownTimer = setInterval(tick, COUNTDOWN_TICK_MS);
    void waitForScan(issued.sceneId, controller);
  }

  function tick(): void {
    secondsLeft.value = Math.max(0, Math.ceil((expiresAtMs - Date.now()) / 1_000));
    if (secondsLeft.value === 0) replaceExpiredCode();
  }

  function replaceExpiredCode(): void {
    if (autoRefreshes >= MAX_AUTO_REFRESHES) {
      endCycle();
      status.value = 'expired';
      return;
    }
    autoRefreshes += 1;
    void start();
  }

  async function waitForScan(sceneId: string, controller: AbortController): Promise<void> {
    try {
      const result = await options.client.waitForScan(sceneId, {
        signal: controller.signal,
        onFallback: () => (polling.value = true),
        onAwaitingConfirmation: () => {
          if (!controller.signal.aborted) status.value = 'confirming';
        },
      });
      if (!controller.signal.aborted) await onScanned({ ...result, sceneId }, controller);
    } catch (error) {
      if (controller.signal.aborted) return;
      const code = errorCodeOf(error);
      if (code === 'SCENE_DENIED') showDenied();
      else if (STALE_SCENE_CODES.has(code)) replaceExpiredCode();
      else fail(code);
    }
  }

  /** The phone refused: this code is spent, and a new one waits for a click (the person may want to look first). */
  function showDenied(): void {
    endCycle();
    status.value = 'denied';
  }

  async function onScanned(scan: WechatScan, controller: AbortController): Promise<void> {
    stopCountdown();
    status.value = 'scanned';
    options.onScanned(scan);
    if (options.purpose() === 'login') await signIn(scan.sceneId, controller);
  }

  async function signIn(sceneId: string, controller: AbortController): Promise<void> {
    let response: Awaited<ReturnType<WechatLoginClient['signInWechat']>>;
    try {
      response = await options.client.signInWechat({ sceneId });
    } catch (error) {
      if (!controller.signal.aborted) fail(errorCodeOf(error));
      return;
    }
    if (controller.signal.aborted) return;
    if (response.data) {
      status.value = 'signed-in';
      options.onSignedIn(response.data.user, { isNewUser: response.data.isNewUser === true });
      return;
    }
    const code = response.error?.code ?? (response.error?.status === 429 ? 'RATE_LIMITED' : 'UNKNOWN');
    if (code === 'SCENE_DENIED') showDenied();
    else if (STALE_SCENE_CODES.has(code)) void start();
    else fail(code);
  }

  /** A fresh code on request (the refresh button, a failed bind): the unattended-refresh budget starts over. */
  function refresh(): Promise<void> {
    autoRefreshes = 0;
    return start();
  }

  /** Stops waiting for now (the widget switched to a mode without a QR code); `refresh` starts again. */
  function pause(): void {
    endCycle();
    status.value = 'loading';
  }

  /** Stops everything for good: the request, the push channel, the polling and the countdown. */
  function stop(): void {
    stopped = true;
    endCycle();
  }

  return { status, qrcode, secondsLeft, errorCode, polling, start, refresh, pause, stop };
}
