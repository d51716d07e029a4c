import { WECHAT_ERRORS, type WechatErrorCode } from '../error-codes.js';

const ERROR_BODY = { type: 'object' as const, properties: { code: { type: 'string' as const }, message: { type: 'string' as const } } };

/** OpenAPI error responses for these codes, grouped by the status the one error table gives each. */
export function errorResponses(...codes: WechatErrorCode[]): Record<number, { description: string; content: { 'application/json': { schema: typeof ERROR_BODY } } }> {
  const byStatus = new Map<number, WechatErrorCode[]>();
  for (const code of codes) byStatus.set(WECHAT_ERRORS[code].status, [...(byStatus.get(WECHAT_ERRORS[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, grouped]) => [status, { description: grouped.map((code) => `${code}: ${WECHAT_ERRORS[code].message}`).join(' | '), content: { 'application/json': { schema: ERROR_BODY } } }]),
  );
}

/** A 200 response whose JSON body has these properties. */
export function okResponse(description: string, properties: Record<string, unknown>) {
  return { description, content: { 'application/json': { schema: { type: 'object' as const, properties } } } };
}
