import { z } from 'zod';

/**
 * The one rule for a scene id, the one-time ticket a browser holds while its QR code waits: 18 random
 * bytes as base64url, exactly 24 characters (within WeChat's 64 for a scene_str). The server makes
 * them (wechat/scenes/scene.ts) and checks every id from outside against this before a lookup.
 */
export const SCENE_ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;
export const SceneIdSchema = z.string().regex(SCENE_ID_PATTERN, 'expected a scene id from get-qrcode');

/** `GET /api/v1/pub/mp/get-qrcode` */
export const QrcodeSchema = z.object({
  sceneId: SceneIdSchema,
  /** The showqrcode image URL (WeChat's, or the simulator's in development). */
  qrcodeUrl: z.string(),
  /** The content encoded in the QR code (the ticket's `url`), so the page can draw it itself. */
  qrcodeContent: z.string(),
  expiresIn: z.number().int().positive(),
});
export type Qrcode = z.infer<typeof QrcodeSchema>;

/**
 * Where a QR code is in its life, as its own browser sees it:
 * `pending` (not scanned) → `scanned` (scanned, waiting for the confirmation on the phone)
 * → `confirmed` (sign-in or binding may go ahead), or `denied` ("this wasn't me" on the phone).
 * Without phone confirmation a scan goes straight to `confirmed`.
 */
export const ScanStatusSchema = z.enum(['pending', 'scanned', 'confirmed', 'denied']);
export type ScanStatus = z.infer<typeof ScanStatusSchema>;

/**
 * `GET /api/v1/pub/mp/get-scan-result` and the `scan` server-sent event. `scanned` stays for the
 * guide's clients (true once a WeChat user scanned). The WeChat identity is only shown once the scan
 * is confirmed: a page showing someone else's code learns nothing about who scanned it.
 */
export const ScanResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), scanned: z.literal(false) }),
  z.object({ status: z.literal('scanned'), scanned: z.literal(true) }),
  z.object({ status: z.literal('denied'), scanned: z.literal(true) }),
  z.object({
    status: z.literal('confirmed'),
    scanned: z.literal(true),
    openid: z.string(),
    unionid: z.string().nullable(),
    nickname: z.string().nullable(),
    avatar: z.string().nullable(),
  }),
]);
export type ScanResult = z.infer<typeof ScanResultSchema>;

/** After these the page stops waiting: the code can be used (`confirmed`), or the phone said no. The server's event stream and the client's waiter both ask this. */
export function isSettledScanStatus(status: ScanStatus): status is 'confirmed' | 'denied' {
  return status === 'confirmed' || status === 'denied';
}
export type ConfirmedScanResult = Extract<ScanResult, { status: 'confirmed' }>;

/** `GET /api/auth/check-wechat-binding` */
export const WechatBindingSchema = z.object({
  bound: z.boolean(),
  openid: z.string().optional(),
  unionid: z.string().nullable().optional(),
  boundAt: z.string().optional(),
});
export type WechatBinding = z.infer<typeof WechatBindingSchema>;
