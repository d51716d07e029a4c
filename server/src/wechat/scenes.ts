import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AppError } from '../errors.js';
import type { OnceClaims } from '../db/claims.js';
import { GroupUpdateById } from '../db/group-update.js';
import { sceneModel, type SceneDocument, type SceneModel, type ScenePurpose, type SceneRequester } from './scene-model.js';

export type { SceneDocument, ScenePurpose, SceneRequester } from './scene-model.js';

/** Scenes are kept a while after expiry so a late poll gets SCENE_EXPIRED, not "not found". */
const EXPIRED_SCENE_RETENTION_MS = 10 * 60 * 1000;

/** The random secret in the browser's binding cookie; only its hash is stored. */
export function newBindingSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashBindingSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/**
 * Every way a scene refuses, with its status and the message a user can act on: the one table the
 * scene store throws from and the `wechat` plugin answers with (its error-code map includes it).
 */
export const SCENE_ERRORS = {
  SCENE_NOT_FOUND: { status: 404, message: 'This QR code is unknown. Ask for a new one.' },
  SCENE_EXPIRED: { status: 410, message: 'This QR code has expired. Ask for a new one.' },
  SCENE_ALREADY_USED: { status: 409, message: 'This QR code has already been used. Ask for a new one.' },
  SCENE_NOT_SCANNED: { status: 409, message: 'This QR code has not been scanned yet.' },
  SCENE_NOT_CONFIRMED: { status: 409, message: 'Confirm the sign-in on your phone first.' },
  SCENE_DENIED: { status: 409, message: 'The sign-in was refused on the phone. Ask for a new QR code.' },
  SCENE_ALREADY_DECIDED: { status: 409, message: 'This sign-in was already confirmed or refused.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type SceneErrorCode = keyof typeof SCENE_ERRORS;

export function sceneError(code: SceneErrorCode): AppError {
  return new AppError(SCENE_ERRORS[code].status, code, SCENE_ERRORS[code].message);
}

export const sceneNotFound = () => sceneError('SCENE_NOT_FOUND');
export const sceneExpired = () => sceneError('SCENE_EXPIRED');
export const sceneAlreadyUsed = () => sceneError('SCENE_ALREADY_USED');
export const sceneNotScanned = () => sceneError('SCENE_NOT_SCANNED');
export const sceneNotConfirmed = () => sceneError('SCENE_NOT_CONFIRMED');
export const sceneDenied = () => sceneError('SCENE_DENIED');
export const sceneAlreadyDecided = () => sceneError('SCENE_ALREADY_DECIDED');

export type ScanDecision = 'confirm' | 'deny';

/**
 * QR scenes in MongoDB, shared by every instance: created for one browser,
 * marked scanned by a verified webhook push, consumed exactly once.
 * Expiry is checked on every read because FerretDB has no TTL indexes.
 */
export class SceneStore {
  readonly model: SceneModel;
  /** A burst of scans writes its scenes together (one round trip, one commit). */
  private readonly scanWrites: GroupUpdateById<SceneDocument>;

  constructor(
    connection: Connection,
    private readonly claims: OnceClaims,
    private readonly options: { requireConfirmation: boolean; now?: () => number },
  ) {
    this.model = sceneModel(connection);
    this.scanWrites = new GroupUpdateById(this.model.collection as never);
  }

  /** Whether a scan waits for the phone's confirmation (`scanned`) or is confirmed at once. */
  get requiresConfirmation(): boolean {
    return this.options.requireConfirmation;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async create(input: {
    sceneId: string;
    bindingSecret: string;
    purpose: ScenePurpose;
    ticket: string;
    ttlSeconds: number;
    requester: SceneRequester;
  }): Promise<SceneDocument> {
    const createdAt = new Date(this.now());
    const doc: SceneDocument = {
      _id: input.sceneId,
      bindingHash: hashBindingSecret(input.bindingSecret),
      purpose: input.purpose,
      status: 'pending',
      ticket: input.ticket,
      requester: input.requester,
      openid: null,
      unionid: null,
      nickname: null,
      avatar: null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + input.ttlSeconds * 1000),
      scannedAt: null,
      decidedAt: null,
      consumedAt: null,
    };
    await this.model.collection.insertOne(doc as never);
    return doc;
  }

  /**
   * Records a verified scan: pending → scanned (or → confirmed when no phone
   * confirmation is asked), for the first WeChat user only.
   * Idempotent: a retried push by the same user changes nothing (and finishes
   * the job if a crash interrupted the first delivery); another user cannot
   * take over. `lookupUnionid` runs only for a pending scene, before the write,
   * so the scene is written once. Returns the scene when this call or an
   * earlier identical one applied.
   */
  async recordScan(
    sceneId: string,
    openid: string,
    lookupUnionid: () => Promise<string | null>,
  ): Promise<{ scene: SceneDocument; applied: boolean } | null> {
    const scene = await this.find(sceneId);
    if (!scene || scene.expiresAt.getTime() <= this.now()) return null;
    if (scene.status !== 'pending') return scene.openid === openid ? { scene, applied: false } : null;
    const unionid = await lookupUnionid();
    const key = `scene-scan:${sceneId}`;
    const applied = await this.claims.claim(key, this.claimTtlMs(scene), { openid });
    if (!applied) {
      if ((await this.claims.read(key))?.data.openid !== openid) return null;
      // Another delivery of this same push claimed first and writes the scene;
      // write only if it never did (it crashed in between).
      const current = await this.find(sceneId);
      if (current && current.status !== 'pending') return { scene: current, applied: false };
    }
    const scannedAt = new Date(this.now());
    const scanned = this.options.requireConfirmation
      ? { status: 'scanned' as const, openid, unionid, nickname: null, avatar: null, scannedAt }
      : { status: 'confirmed' as const, openid, unionid, nickname: null, avatar: null, scannedAt, decidedAt: scannedAt };
    // The claim decided who scanned, so the write needs no status filter (and
    // FerretDB answers a filter on _id alone much faster). Deciding and
    // consuming wait for this write, so nothing can have moved the scene on.
    await this.scanWrites.set(sceneId, scanned);
    return { scene: { ...scene, ...scanned }, applied };
  }

  async find(sceneId: string): Promise<SceneDocument | null> {
    return (await this.model.collection.findOne({ _id: sceneId as never })) as SceneDocument | null;
  }

  /**
   * The scene as the browser holding `bindingSecret` may see it. Any other
   * browser gets the same error as for an unknown scene, so scene ids leak nothing.
   */
  async findForBrowser(sceneId: string, bindingSecret: string | undefined): Promise<SceneDocument> {
    return this.checkBrowserAccess(await this.find(sceneId), bindingSecret);
  }

  /** The access rule of findForBrowser, for a scene already in hand (e.g. from a cache). */
  checkBrowserAccess(scene: SceneDocument | null, bindingSecret: string | undefined): SceneDocument {
    if (!scene || !bindingSecret || !sameHash(scene.bindingHash, hashBindingSecret(bindingSecret))) throw sceneNotFound();
    if (scene.status === 'consumed') throw sceneAlreadyUsed();
    if ((scene.status === 'pending' || scene.status === 'scanned') && scene.expiresAt.getTime() <= this.now()) throw sceneExpired();
    return scene;
  }

  /**
   * The phone's answer for a scanned scene, read just before by the caller,
   * who proved with the confirmation link to be the WeChat user who scanned
   * it: scanned → confirmed or denied, once (the claim decides between
   * concurrent answers); a second answer gets SCENE_ALREADY_DECIDED.
   */
  async decide(scene: SceneDocument, decision: ScanDecision): Promise<SceneDocument> {
    if (scene.status !== 'scanned') throw sceneAlreadyDecided();
    if (scene.expiresAt.getTime() <= this.now()) throw sceneExpired();
    if (!(await this.claims.claim(`scene-decision:${scene._id}`, this.claimTtlMs(scene), { decision }))) throw sceneAlreadyDecided();
    const decided = { status: decision === 'confirm' ? ('confirmed' as const) : ('denied' as const), decidedAt: new Date(this.now()) };
    await this.model.collection.updateOne({ _id: scene._id as never }, { $set: decided });
    return { ...scene, ...decided };
  }

  /**
   * Consumes a confirmed scene for the browser that owns it: of concurrent
   * callers exactly one gets the scene (the one whose claim lands), the others
   * SCENE_ALREADY_USED. `acceptUnconfirmed` lets a scan without the phone's
   * confirmation through (the plugin's `requirePhoneConfirmation: false`).
   */
  async consume(sceneId: string, bindingSecret: string | undefined, purpose: ScenePurpose, options: { acceptUnconfirmed?: boolean } = {}): Promise<SceneDocument> {
    const scene = await this.findForBrowser(sceneId, bindingSecret);
    if (scene.purpose !== purpose) throw sceneNotFound();
    if (scene.status === 'pending') throw sceneNotScanned();
    if (scene.status === 'denied') throw sceneDenied();
    if (scene.status === 'scanned' && !options.acceptUnconfirmed) throw sceneNotConfirmed();
    if (scene.expiresAt.getTime() <= this.now()) throw sceneExpired();
    if (!(await this.claims.claim(`scene-consume:${sceneId}`, this.claimTtlMs(scene)))) throw sceneAlreadyUsed();
    const consumedAt = new Date(this.now());
    await this.model.collection.updateOne({ _id: sceneId as never }, { $set: { status: 'consumed', consumedAt } });
    return { ...scene, status: 'consumed', consumedAt };
  }

  /** Claims outlive their scene a little, so a late retry still finds them. */
  private claimTtlMs(scene: SceneDocument): number {
    return Math.max(0, scene.expiresAt.getTime() - this.now()) + EXPIRED_SCENE_RETENTION_MS;
  }

  /** Deletes long-expired scenes; the TTL index does this on MongoDB, this sweep on FerretDB. */
  async sweepExpired(): Promise<number> {
    const cutoff = new Date(this.now() - EXPIRED_SCENE_RETENTION_MS);
    const result = await this.model.collection.deleteMany({ expiresAt: { $lt: cutoff } });
    return result.deletedCount;
  }
}

export const SCENE_TTL_INDEX_SECONDS = EXPIRED_SCENE_RETENTION_MS / 1000;
