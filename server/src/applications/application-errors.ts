import type { z } from 'zod';
import type { ApplicationErrorCode } from '@wechat-login/shared';
import { AppError, errorFromTable, type ErrorTable } from '../errors.js';

export const APPLICATION_ERRORS: ErrorTable<ApplicationErrorCode> = {
  APPLICATION_NOT_FOUND: { status: 404, message: 'No application has this client ID.' },
  INVALID_APPLICATION: { status: 400, message: 'The application is not valid.' },
  INVALID_REDIRECT_URI: { status: 400, message: 'A redirect URI is not allowed.' },
  INVALID_LOGO_URL: { status: 400, message: 'The logo must be an https URL, or empty.' },
  APPLICATION_HAS_NO_SECRET: { status: 400, message: 'A public application has no secret to rotate: it proves itself with PKCE.' },
};

export const applicationNotFound = (): AppError => errorFromTable(APPLICATION_ERRORS, 'APPLICATION_NOT_FOUND');

/** The code of a refused field: the URI lists and the logo have their own, the rest is INVALID_APPLICATION. */
function codeForField(field: string | undefined): ApplicationErrorCode {
  if (field === 'redirectUris' || field === 'postLogoutRedirectUris') return 'INVALID_REDIRECT_URI';
  if (field === 'logoUrl') return 'INVALID_LOGO_URL';
  return 'INVALID_APPLICATION';
}

/**
 * A refused body, coded by its first issue and listing every one (`details.issues`, as parse-input
 * does), so a script learns all its mistakes at once and the dashboard can name the line.
 */
export function invalidApplicationInput(error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({ parameter: issue.path.map(String).join('.'), message: issue.message }));
  const first = error.issues[0];
  const code = codeForField(first?.path[0] === undefined ? undefined : String(first.path[0]));
  const described = issues.map(({ parameter, message }) => (parameter ? `"${parameter}": ${message}` : message)).join('; ');
  return new AppError(400, code, `The application is not valid: ${described}`, { issues, ...(issues[0]?.parameter ? { parameter: issues[0].parameter } : {}) });
}

interface ProviderRefusal {
  statusCode?: unknown;
  body?: { error?: unknown; error_description?: unknown };
}

/**
 * The provider checks a new client again (its own redirect and metadata rules); our schema is meant to
 * refuse first, so this is a safety net that keeps its refusal a 400 with our codes, not a 500.
 */
export function fromProviderRefusal(error: unknown): AppError | null {
  const refusal = error as ProviderRefusal | null;
  const oauthError = refusal?.body?.error;
  if (typeof oauthError !== 'string') return null;
  const description = typeof refusal?.body?.error_description === 'string' ? refusal.body.error_description : APPLICATION_ERRORS.INVALID_APPLICATION.message;
  if (oauthError === 'invalid_redirect_uri') return new AppError(400, 'INVALID_REDIRECT_URI', description);
  if (oauthError === 'invalid_client_metadata' || oauthError === 'invalid_scope') return new AppError(400, 'INVALID_APPLICATION', description);
  return null;
}
