import { z } from 'zod';

/** `GET /api/v1/pub/site`: what the sign-in page needs to know about this deployment. */
export const SiteInfoSchema = z.object({
  siteName: z.string(),
  wechat: z.object({
    enabled: z.boolean(),
    /** The development WeChat simulator's "phone" page, or null in a real deployment. */
    simulatorUrl: z.string().nullable(),
    /** Web authorization (网页授权): inside WeChat the sign-in page offers one tap instead of a QR code. */
    webAuthorization: z.boolean(),
  }),
  placeholderEmailDomain: z.string(),
});
export type SiteInfo = z.infer<typeof SiteInfoSchema>;
