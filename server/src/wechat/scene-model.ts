import { Schema, type Connection, type Model } from 'mongoose';

/**
 * pending → scanned (waiting for the phone's confirmation) → confirmed → consumed,
 * or scanned → denied. Without phone confirmation a scan lands on `confirmed` at once.
 */
export type SceneStatus = 'pending' | 'scanned' | 'confirmed' | 'denied' | 'consumed';
export const SCENE_STATUSES: readonly SceneStatus[] = ['pending', 'scanned', 'confirmed', 'denied', 'consumed'];
/** What the scene is for: a sign-in, or binding WeChat to a signed-in user. */
export type ScenePurpose = 'login' | 'bind';

/**
 * One QR code shown to one browser. The browser only ever holds the scene id
 * (plus an HttpOnly binding cookie); the WeChat identity arrives later from a
 * verified webhook push and is stored here, never taken from the browser.
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
  nickname: string | null;
  avatar: string | null;
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

export const SCENE_COLLECTION = 'wechat_scenes';

const sceneSchema = new Schema<SceneDocument>(
  {
    _id: { type: String, required: true },
    bindingHash: { type: String, required: true },
    purpose: { type: String, enum: ['login', 'bind'], required: true },
    status: { type: String, enum: SCENE_STATUSES, required: true },
    ticket: { type: String, required: true },
    requester: { userAgent: { type: String, default: null }, ip: { type: String, default: null } },
    openid: { type: String, default: null },
    unionid: { type: String, default: null },
    nickname: { type: String, default: null },
    avatar: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    scannedAt: { type: Date, default: null },
    decidedAt: { type: Date, default: null },
    consumedAt: { type: Date, default: null },
  },
  { collection: SCENE_COLLECTION, versionKey: false, strict: 'throw' },
);

export type SceneModel = Model<SceneDocument>;

export function sceneModel(connection: Connection): SceneModel {
  return (connection.models.WechatScene as SceneModel | undefined) ?? connection.model<SceneDocument>('WechatScene', sceneSchema);
}
