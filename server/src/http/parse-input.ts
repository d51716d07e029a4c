import type { Request } from 'express';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import type { ApiErrorCode } from '@wechat-login/shared';

/** One refused value: where it was (the query parameter, or the body field's path) and why. */
export interface InputIssue {
  parameter: string;
  message: string;
}

/** Every issue of a refused input, in one message and in `details.issues`, as better-call reports its validation. */
function invalidInput(code: ApiErrorCode, what: string, error: z.ZodError): AppError {
  const issues: InputIssue[] = error.issues.map((issue) => ({ parameter: issue.path.map(String).join('.'), message: issue.message }));
  const described = issues.map(({ parameter, message }) => (parameter ? `"${parameter}": ${message}` : message)).join('; ');
  const first = issues[0];
  return new AppError(400, code, `The ${what} is not valid: ${described}`, { issues, ...(first?.parameter ? { parameter: first.parameter } : {}) });
}

/** The query, read with its schema; otherwise 400 INVALID_QUERY listing every issue. */
export function parseQuery<Schema extends z.ZodType>(schema: Schema, req: Request): z.infer<Schema> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) throw invalidInput('INVALID_QUERY', 'query', parsed.error);
  return parsed.data;
}

/** The JSON body, read with its schema; otherwise 400 with `code` (the route's own, e.g. INVALID_PROFILE) listing every issue. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, req: Request, code: ApiErrorCode = 'INVALID_BODY'): z.infer<Schema> {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw invalidInput(code, 'request body', parsed.error);
  return parsed.data;
}
