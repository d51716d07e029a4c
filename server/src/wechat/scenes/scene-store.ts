import type { Collection, Db } from 'mongodb';
import type { OnceClaims } from '../../db/claims.js';
import { GroupUpdateById } from '../../db/group-update.js';
import {
  canMove,
  hashBindingSecret,
  isExpired,
  isSceneBrowser,
  sceneError,
  statusAfterScan,
  type SceneDocument,
  type ScenePurpose,
  type SceneRequester,
  type SceneStatus,
} from './scene.js';

export const SCENE_COLLECTION = 'wechat_scenes';

/** Scenes are kept a while after expiry so a late poll gets SCENE_EXPIRED, not "not found". */
export const EXPIRED_SCENE_RETENTION_SECONDS = 10 * 60;

export type ScanDecision = 'confirm' | 'deny';

/**
 * QR scenes in MongoDB, shared by every instance: created for one browser, marked scanned by a
 * verified webhook push, decided on the phone, consumed exactly once. Every once-only step claims a
 * unique key first (FerretDB runs conditional updates as find-then-write, so two could both "win"
 * an update); expiry is checked on every read because FerretDB has no TTL indexes.
 */
export class SceneStore {
  readonly collection: Collection<SceneDocument>;
  /** A burst of scans writes its scenes together (one round trip, one commit). */
  private readonly scanWrites: GroupUpdateById<SceneDocument>;

  constructor(
    db: Db,
    private readonly claims: OnceClaims,
    private readonly options: { requireConfirmation: boolean; now?: () => number },
  ) {
    this.collection = db.collection<SceneDocument>(SCENE_COLLECTION);
    this.scanWrites = new GroupUpdateById(this.collection);
  }

  /** Whether a scan waits for the phone's confirmation (`scanned`) or is confirmed at once. */
  get requiresConfirmation(): boolean {
    return this.options.requireConfirmation;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async create(input: { sceneId: string; bindingSecret: string; purpose: ScenePurpose; ticket: string; ttlSeconds: number; requester: SceneRequester }): Promise<SceneDocument> {
    const createdAt = new Date(this.now());
    const scene: SceneDocument = {
      _id: input.sceneId,
      bindingHash: hashBindingSecret(input.bindingSecret),
      purpose: input.purpose,
      status: 'pending',
      ticket: input.ticket,
      requester: input.requester,
      openid: null,
      unionid: null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + input.ttlSeconds * 1000),
      scannedAt: null,
      decidedAt: null,
      consumedAt: null,
    };
    await this.collection.insertOne(scene);
    return scene;
  }

  /**
   * Records a verified scan on a pending scene, for the first WeChat user only. Idempotent: a
   * retried push by the same user changes nothing (and finishes the job if a crash interrupted the
   * first delivery); another user cannot take over. `lookupUnionid` runs only for a pending scene,
   * before the write, so the scene is written once. Returns the scene when this call or an earlier
   * identical one applied.
   */
  async recordScan(sceneId: string, openid: string, lookupUnionid: () => Promise<string | null>): Promise<{ scene: SceneDocument; applied: boolean } | null> {
    const scene = await this.find(sceneId);
    if (!scene || isExpired(scene, this.now())) return null;
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
    const status = statusAfterScan(this.options.requireConfirmation);
    const scanned = { status, openid, unionid, scannedAt, decidedAt: status === 'confirmed' ? scannedAt : null };
    // The claim decided who scanned, so the write needs no status filter (and FerretDB answers a
    // filter on _id alone much faster). Deciding and consuming wait for this write.
    await this.scanWrites.set(sceneId, scanned);
    return { scene: { ...scene, ...scanned }, applied };
  }

  async find(sceneId: string): Promise<SceneDocument | null> {
    return this.collection.findOne({ _id: sceneId });
  }

  /** The scene as the browser holding `bindingSecret` may see it; any other browser gets the same error as for an unknown scene. */
  async findForBrowser(sceneId: string, bindingSecret: string | undefined): Promise<SceneDocument> {
    return this.checkBrowserAccess(await this.find(sceneId), bindingSecret);
  }

  /** The access rule of findForBrowser, for a scene already in hand (e.g. from a cache). */
  checkBrowserAccess(scene: SceneDocument | null, bindingSecret: string | undefined): SceneDocument {
    if (!scene || !isSceneBrowser(scene, bindingSecret)) throw sceneError('SCENE_NOT_FOUND');
    if (scene.status === 'consumed') throw sceneError('SCENE_ALREADY_USED');
    if ((scene.status === 'pending' || scene.status === 'scanned') && isExpired(scene, this.now())) throw sceneError('SCENE_EXPIRED');
    return scene;
  }

  /**
   * The phone's answer for a scanned scene, read just before by the caller, who proved with the
   * confirmation link to be the WeChat user who scanned it: scanned → confirmed or denied, once (the
   * claim decides between concurrent answers); a second answer gets SCENE_ALREADY_DECIDED.
   */
  async decide(scene: SceneDocument, decision: ScanDecision): Promise<SceneDocument> {
    const status: SceneStatus = decision === 'confirm' ? 'confirmed' : 'denied';
    if (!canMove(scene.status, status)) throw sceneError('SCENE_ALREADY_DECIDED');
    if (isExpired(scene, this.now())) throw sceneError('SCENE_EXPIRED');
    if (!(await this.claims.claim(`scene-decision:${scene._id}`, this.claimTtlMs(scene), { decision }))) throw sceneError('SCENE_ALREADY_DECIDED');
    const decided = { status, decidedAt: new Date(this.now()) };
    await this.collection.updateOne({ _id: scene._id }, { $set: decided });
    return { ...scene, ...decided };
  }

  /**
   * Consumes a confirmed scene for the browser that owns it: of concurrent callers exactly one gets
   * the scene (the one whose claim lands), the others SCENE_ALREADY_USED. `acceptUnconfirmed` lets a
   * scan without the phone's confirmation through (the plugin's `requirePhoneConfirmation: false`).
   */
  async consume(sceneId: string, bindingSecret: string | undefined, purpose: ScenePurpose, options: { acceptUnconfirmed?: boolean } = {}): Promise<SceneDocument> {
    const scene = await this.findForBrowser(sceneId, bindingSecret);
    if (scene.purpose !== purpose) throw sceneError('SCENE_NOT_FOUND');
    if (scene.status === 'pending') throw sceneError('SCENE_NOT_SCANNED');
    if (scene.status === 'denied') throw sceneError('SCENE_DENIED');
    if (scene.status === 'scanned' && !options.acceptUnconfirmed) throw sceneError('SCENE_NOT_CONFIRMED');
    if (isExpired(scene, this.now())) throw sceneError('SCENE_EXPIRED');
    if (!(await this.claims.claim(`scene-consume:${sceneId}`, this.claimTtlMs(scene)))) throw sceneError('SCENE_ALREADY_USED');
    const consumedAt = new Date(this.now());
    await this.collection.updateOne({ _id: sceneId }, { $set: { status: 'consumed', consumedAt } });
    return { ...scene, status: 'consumed', consumedAt };
  }

  /** Claims outlive their scene a little, so a late retry still finds them. */
  private claimTtlMs(scene: SceneDocument): number {
    return Math.max(0, scene.expiresAt.getTime() - this.now()) + EXPIRED_SCENE_RETENTION_SECONDS * 1000;
  }

  /** Deletes long-expired scenes; the TTL index does this on MongoDB, this sweep on FerretDB. */
  async sweepExpired(): Promise<number> {
    const cutoff = new Date(this.now() - EXPIRED_SCENE_RETENTION_SECONDS * 1000);
    return (await this.collection.deleteMany({ expiresAt: { $lt: cutoff } })).deletedCount;
  }
}
