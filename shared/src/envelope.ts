import { z } from 'zod';

/** Our own routes answer `{success: true, data}` on success. */
export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}
export interface SuccessBody<T> {
  success: true;
  data: T;
}
