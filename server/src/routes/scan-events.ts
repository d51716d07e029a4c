import { isSettledScanStatus } from '@wechat-login/shared';
import type { Request, Response } from 'express';
import type { ScanNotifier } from '../wechat/scan-feed/scan-notifier.js';
import { toScanResult, type SceneDocument } from '../wechat/scenes/scene.js';
import type { SceneStore } from '../wechat/scenes/scene-store.js';

/** Comments keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for one scene: `scan` with the scan result each time the
 * scene changes (scanned, then confirmed or denied on the phone), on any
 * instance; `expired` when the code runs out. The scene is checked first, so
 * errors (unknown, expired, other browser) answer as plain JSON errors before
 * the stream opens.
 */
export async function streamScanEvents(
  req: Request,
  res: Response,
  deps: { scenes: SceneStore; notifier: ScanNotifier; sceneId: string; bindingSecret: string | undefined },
): Promise<void> {
  const scene = await deps.scenes.findForBrowser(deps.sceneId, deps.bindingSecret);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  const current = toScanResult(scene);
  if (current.status !== 'pending') send('scan', current);
  // After a settled status the scene will not change in a way the page cares about: the stream ends.
  if (isSettledScanStatus(current.status)) {
    res.end();
    return;
  }

  const cleanup: Array<() => void> = [];
  const finish = () => {
    for (const step of cleanup) step();
    cleanup.length = 0;
    if (!res.writableEnded) res.end();
  };
  let unsubscribe = () => {};
  const waitForChange = (knownStatus: SceneDocument['status']) => {
    unsubscribe = deps.notifier.subscribe(deps.sceneId, knownStatus, (changed) => {
      const result = toScanResult(changed);
      send('scan', result);
      if (isSettledScanStatus(result.status)) finish();
      else waitForChange(changed.status);
    });
  };
  waitForChange(scene.status);
  cleanup.push(() => unsubscribe());

  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  cleanup.push(() => clearInterval(heartbeat));
  const expiry = setTimeout(() => {
    send('expired', { code: 'SCENE_EXPIRED' });
    finish();
  }, Math.max(0, scene.expiresAt.getTime() - Date.now()));
  cleanup.push(() => clearTimeout(expiry));
  req.on('close', finish);
}
