import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SCENE_ID_PATTERN, type ApiErrorCode, type ScanResult } from '@wechat-login/shared';
import { errorFromTable, type AppError, type ErrorTable } from '../../errors.js';

/**
 * A QR scene and every rule of its life, in one place: its statuses and the moves between them,
 * what its browser may learn of it, its id, and how it refuses. The store persists it, the webhook
 * records scans on it, the phone decides it, the plugin consumes it; all of them ask this module.
 *
 *   pending ──scan──▶ scanned ──phone: yes──▶ confirmed ──sign-in/bind──▶ consumed
 *      │                  └────phone: no────▶ denied
 *      └──scan, when no confirmation is asked──▶ confirmed
 */

export const SCENE_STATUSES = ['pending', 'scanned', 'confirmed', 'denied', 'consumed'] as const;
export type SceneStatus = (typeof SCENE_STATUSES)[number];

/** What the scene is for: a sign-in, or binding WeChat to a signed-in user. */
export type ScenePurpose = 'login' | 'bind';

const TRANSITIONS: Readonly<Record<SceneStatus, readonly SceneStatus[]>> = {
  pending: ['scanned', 'confirmed'],
  scanned: ['confirmed', 'denied'],
  confirmed: ['consumed'],
  denied: [],
  consumed: [],
};

export function canMove(from: SceneStatus, to: SceneStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Every status a scene can move into: a change to one of these is what waiting pages are told of. */
export const CHANGED_STATUSES: readonly SceneStatus[] = SCENE_STATUSES.filter((status) => status !== 'pending');

/**
 * One QR code shown to one browser. The browser only ever holds the scene id (plus an HttpOnly
 * binding cookie); the WeChat identity arrives later from a verified webhook push and is stored
 * here, never taken from the browser.
 */
export interface SceneDocument {
  _id: string;
  /** sha256 of the browser's binding cookie: only that browser may read or consume the scene. */
  bindingHash: string;
  purpose: ScenePurpose;
  status: SceneStatus;
  ticket: string;
  /** The browser that asked for the code, as the server saw it: shown on the phone before confirming. */
  requester: SceneRequester;
  openid: string | null;
  unionid: string | null;
  createdAt: Date;
  expiresAt: Date;
  scannedAt: Date | null;
  /** When the phone confirmed or denied (or the scan, when no confirmation is asked). */
  decidedAt: Date | null;
  consumedAt: Date | null;
}

export interface SceneRequester {
  userAgent: string | null;
  ip: string | null;
}

export function isExpired(scene: Pick<SceneDocument, 'expiresAt'>, nowMs: number): boolean {
  return scene.expiresAt.getTime() <= nowMs;
}

/** The status a scan moves a pending scene to: it waits for the phone, or counts at once. */
export function statusAfterScan(requireConfirmation: boolean): 'scanned' | 'confirmed' {
  return requireConfirmation ? 'scanned' : 'confirmed';
}

/**
 * The scene as its own browser may see it (get-scan-result, the event stream): the identity only
 * once the phone confirmed, so a page showing someone else's code learns nothing. `nickname` and
 * `avatar` keep the guide's shape; WeChat no longer gives them to this flow, so they are null.
 */
export function toScanResult(scene: SceneDocument): ScanResult {
  if (scene.status === 'pending' || !scene.openid) return { status: 'pending', scanned: false };
  if (scene.status === 'scanned') return { status: 'scanned', scanned: true };
  if (scene.status === 'denied') return { status: 'denied', scanned: true };
  return { status: 'confirmed', scanned: true, openid: scene.openid, unionid: scene.unionid, nickname: null, avatar: null };
}

/** The random secret in the browser's binding cookie; only its hash is stored on the scene. */
export function newBindingSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashBindingSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether `bindingSecret` is the one the scene was made for (timing-safe). */
export function isSceneBrowser(scene: Pick<SceneDocument, 'bindingHash'>, bindingSecret: string | undefined): boolean {
  if (!bindingSecret) return false;
  const stored = Buffer.from(scene.bindingHash, 'hex');
  const offered = Buffer.from(hashBindingSecret(bindingSecret), 'hex');
  return stored.length === offered.length && stored.length > 0 && timingSafeEqual(stored, offered);
}

/** 18 random bytes = 144 bits, base64url without padding: exactly the 24 characters of SCENE_ID_PATTERN. */
const SCENE_ID_RANDOM_BYTES = 18;

export function generateSceneId(): string {
  return randomBytes(SCENE_ID_RANDOM_BYTES).toString('base64url');
}

/** True only for strings generateSceneId could have made. Use it on every scene id from outside (a browser's query, an EventKey) before a query or a log line. */
export function isValidSceneId(value: unknown): value is string {
  return typeof value === 'string' && SCENE_ID_PATTERN.test(value);
}

/**
 * Every way a scene refuses, with its status and the message a user can act on: the one table the
 * store throws from and the `wechat` plugin answers with (its error-code map includes it).
 */
export const SCENE_ERRORS = {
  SCENE_NOT_FOUND: { status: 404, message: 'This QR code is unknown. Ask for a new one.' },
  SCENE_EXPIRED: { status: 410, message: 'This QR code has expired. Ask for a new one.' },
  SCENE_ALREADY_USED: { status: 409, message: 'This QR code has already been used. Ask for a new one.' },
  SCENE_NOT_SCANNED: { status: 409, message: 'This QR code has not been scanned yet.' },
  SCENE_NOT_CONFIRMED: { status: 409, message: 'Confirm the sign-in on your phone first.' },
  SCENE_DENIED: { status: 409, message: 'The sign-in was refused on the phone. Ask for a new QR code.' },
  SCENE_ALREADY_DECIDED: { status: 409, message: 'This sign-in was already confirmed or refused.' },
} as const satisfies ErrorTable<ApiErrorCode & `SCENE_${string}`>;

export type SceneErrorCode = keyof typeof SCENE_ERRORS;

export function sceneError(code: SceneErrorCode): AppError {
  return errorFromTable(SCENE_ERRORS, code);
}
