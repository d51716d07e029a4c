import type { Request, Response } from 'express';
import type { ScanNotifier } from '../wechat/scan-notifier.js';
import type { SceneStore } from '../wechat/scenes.js';
import { toScanResult } from '../wechat/qr-login.js';

/** Comments keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for one scene: `scan` with the scan result as soon as
 * the webhook records it (on any instance), `expired` when the code runs out.
 * The scene is checked first, so errors (unknown, expired, other browser)
 * answer as plain JSON errors before the stream opens.
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

  if (scene.status !== 'pending') {
    send('scan', toScanResult(scene));
    res.end();
    return;
  }

  const cleanup: Array<() => void> = [];
  const finish = () => {
    for (const step of cleanup) step();
    cleanup.length = 0;
    if (!res.writableEnded) res.end();
  };
  const unsubscribe = deps.notifier.subscribe(deps.sceneId, (settled) => {
    send('scan', toScanResult(settled));
    finish();
  });
  cleanup.push(unsubscribe);

  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  cleanup.push(() => clearInterval(heartbeat));
  const expiry = setTimeout(() => {
    send('expired', { code: 'SCENE_EXPIRED' });
    finish();
  }, Math.max(0, scene.expiresAt.getTime() - Date.now()));
  cleanup.push(() => clearTimeout(expiry));
  req.on('close', finish);
}
