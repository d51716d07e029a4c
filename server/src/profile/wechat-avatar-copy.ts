import type { AvatarStore } from './avatar-store.js';
import { sniffImageType } from './image-type.js';
import { WECHAT_IMAGE_HOSTS } from './image-url-policy.js';
import { avatarUrl } from './profile-service.js';

export interface WechatAvatarCopyDeps {
  avatars: AvatarStore;
  publicBaseUrl: string;
  maxBytes: number;
  /** Origins besides WeChat's image hosts that may serve a headimgurl: the simulator's, in development and tests. */
  extraImageOrigins: readonly string[];
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** A headimgurl worth fetching: https on WeChat's image hosts (or the simulator), nothing else, so it can never be a way into our network. */
export function isWechatAvatarSource(imageUrl: string, extraImageOrigins: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(imageUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (extraImageOrigins.includes(url.origin)) return true;
  return url.protocol === 'https:' && url.port === '' && WECHAT_IMAGE_HOSTS.has(url.hostname);
}

/**
 * Copies a WeChat avatar into our avatar store and answers the copy's URL, or null when it cannot
 * (not WeChat's, too large, not an image, WeChat slow). Copied rather than hot-linked: WeChat's
 * image URLs change and stop working, and every app that shows the user would tell WeChat who
 * looks at whom. The bytes are checked as an upload's are: the magic bytes decide.
 */
export async function copyWechatAvatar(deps: WechatAvatarCopyDeps, userId: string, imageUrl: string): Promise<string | null> {
  if (!isWechatAvatarSource(imageUrl, deps.extraImageOrigins)) return null;
  const response = await (deps.fetch ?? fetch)(imageUrl, { redirect: 'error', signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS) }).catch(() => null);
  if (!response?.ok || !response.body) return null;
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > deps.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    return null;
  }
  const bytes = await readUpTo(response.body, deps.maxBytes).catch(() => null);
  const contentType = bytes && bytes.length > 0 ? sniffImageType(bytes) : null;
  if (!bytes || !contentType) return null;
  const id = await deps.avatars.save(userId, bytes, contentType);
  return avatarUrl(deps, id);
}

/** The whole body, or null as soon as it passes `maxBytes`. */
async function readUpTo(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer | null> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    received += chunk.length;
    if (received > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}
