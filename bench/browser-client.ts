import { WECHAT_PUBLIC_PATH } from '@wechat-login/shared';
import { Agent, request } from 'undici';
import { epochNowMs } from './clock.js';

/** What a browser does against the public QR routes, over undici on loopback. */

export const QR_ROUTES = WECHAT_PUBLIC_PATH;
export const BINDING_COOKIE = 'wml_qr_binding';

/**
 * Unlimited keep-alive connections per origin (concurrency is the caller's
 * choice); a server that stops answering fails the scenario within 30 s.
 */
export const browserAgent = new Agent({ keepAliveTimeout: 30_000, connections: null, headersTimeout: 30_000, bodyTimeout: 30_000 });

export interface IssuedScene {
  serverUrl: string;
  sceneId: string;
  qrcodeContent: string;
  /** `wml_qr_binding=<secret>`, as the browser sends it back. */
  cookie: string;
}

function bindingCookieFrom(setCookie: string | string[] | undefined): string {
  for (const header of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const pair = header.split(';')[0]!.trim();
    if (pair.startsWith(`${BINDING_COOKIE}=`)) return pair;
  }
  throw new Error('get-qrcode set no binding cookie');
}

/** A new browser (no cookie yet) asks for a QR code. */
export async function getQrcode(serverUrl: string): Promise<IssuedScene & { latencyMs: number; rateLimited: boolean }> {
  const startMs = epochNowMs();
  const response = await request(`${serverUrl}${QR_ROUTES}/get-qrcode`, { dispatcher: browserAgent });
  const body = (await response.body.json()) as { success: boolean; data?: { sceneId: string; qrcodeContent: string } };
  if (response.statusCode !== 200 || !body.data) throw new Error(`get-qrcode answered ${response.statusCode}: ${JSON.stringify(body)}`);
  return {
    serverUrl,
    sceneId: body.data.sceneId,
    qrcodeContent: body.data.qrcodeContent,
    cookie: bindingCookieFrom(response.headers['set-cookie']),
    latencyMs: epochNowMs() - startMs,
    rateLimited: response.headers['ratelimit-limit'] !== undefined,
  };
}

export interface ScanResultAnswer {
  status: number;
  scanned: boolean;
  openid: string | null;
}

export async function getScanResult(scene: IssuedScene): Promise<ScanResultAnswer> {
  const response = await request(`${scene.serverUrl}${QR_ROUTES}/get-scan-result?sceneId=${scene.sceneId}`, {
    dispatcher: browserAgent,
    headers: { cookie: scene.cookie },
  });
  const body = (await response.body.json()) as { data?: { scanned: boolean; openid?: string } };
  return { status: response.statusCode, scanned: body.data?.scanned === true, openid: body.data?.openid ?? null };
}

/** Runs `task` for each item with at most `concurrency` in flight; results in input order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** `count` QR codes from the given servers in turn, each for a new browser. */
export async function issueScenes(serverUrls: readonly string[], count: number, concurrency = 16): Promise<IssuedScene[]> {
  return mapConcurrently(
    Array.from({ length: count }, (_, index) => serverUrls[index % serverUrls.length]!),
    concurrency,
    (url) => getQrcode(url),
  );
}
