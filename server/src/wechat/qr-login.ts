import type { Qrcode, ScanResult } from '@wechat-login/shared';
import type { WechatApiClient } from './api/client.js';
import type { ScanNotifier } from './scan-feed/scan-notifier.js';
import { generateSceneId, toScanResult, type ScenePurpose, type SceneRequester } from './scenes/scene.js';
import type { SceneStore } from './scenes/scene-store.js';

export interface QrLoginDeps {
  api: WechatApiClient;
  scenes: SceneStore;
  sceneTtlSeconds: number;
}

/**
 * Asks WeChat for a temporary QR code whose scene is a fresh random id, then
 * records the scene for the browser holding `bindingSecret`. WeChat is called
 * first: a failure leaves nothing behind.
 */
export async function issueQrcode(deps: QrLoginDeps, input: { bindingSecret: string; purpose: ScenePurpose; requester: SceneRequester }): Promise<Qrcode> {
  const sceneId = generateSceneId();
  const qrcode = await deps.api.createTemporaryQrcode({ sceneStr: sceneId, expireSeconds: deps.sceneTtlSeconds });
  // WeChat may shorten the expiry; the scene never outlives its code.
  const ttlSeconds = Math.min(deps.sceneTtlSeconds, qrcode.expireSeconds || deps.sceneTtlSeconds);
  await deps.scenes.create({ sceneId, bindingSecret: input.bindingSecret, purpose: input.purpose, ticket: qrcode.ticket, ttlSeconds, requester: input.requester });
  return { sceneId, qrcodeUrl: qrcode.qrcodeUrl, qrcodeContent: qrcode.url, expiresIn: ttlSeconds };
}

/**
 * The scan state as its own browser may see it (others get SCENE_NOT_FOUND).
 * A pending scene comes from the notifier's memory when it has it: polls every
 * 2 s from many pages then cost no database read.
 */
export async function readScanResult(
  deps: { scenes: SceneStore; notifier: ScanNotifier },
  sceneId: string,
  bindingSecret: string | undefined,
): Promise<ScanResult> {
  const cached = deps.notifier.cachedPending(sceneId);
  const scene = cached ?? (await deps.scenes.find(sceneId));
  if (!cached && scene) deps.notifier.rememberPending(scene);
  return toScanResult(deps.scenes.checkBrowserAccess(scene, bindingSecret));
}
