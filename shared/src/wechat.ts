import { z } from 'zod';

/** Scene ids are opaque, URL-safe and short; anything else is refused before a lookup. */
export const SceneIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'expected a scene id from get-qrcode');

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

/** `GET /api/v1/pub/mp/get-scan-result` */
export const ScanResultSchema = z.discriminatedUnion('scanned', [
  z.object({ scanned: z.literal(false) }),
  z.object({
    scanned: z.literal(true),
    openid: z.string(),
    unionid: z.string().nullable(),
    nickname: z.string().nullable(),
    avatar: z.string().nullable(),
  }),
]);
export type ScanResult = z.infer<typeof ScanResultSchema>;

/** `GET /api/auth/check-wechat-binding` */
export const WechatBindingSchema = z.object({
  bound: z.boolean(),
  openid: z.string().optional(),
  unionid: z.string().nullable().optional(),
  boundAt: z.string().optional(),
});
export type WechatBinding = z.infer<typeof WechatBindingSchema>;
