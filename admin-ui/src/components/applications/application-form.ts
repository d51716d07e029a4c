import {
  APPLICATION_SCOPES, MAX_REDIRECT_URIS, redirectUriProblem,
  type Application, type ApplicationScope, type ApplicationType, type CreateApplicationInput, type SecretAuthMethod, type UpdateApplicationInput,
} from '@wechat-login/shared';

/** The create/edit dialog's fields as the form holds them: URI lists as text, one per line. */
export interface ApplicationFormModel {
  name: string;
  logoUrl: string;
  redirectUrisText: string;
  postLogoutRedirectUrisText: string;
  type: ApplicationType;
  secretAuthMethod: SecretAuthMethod;
  firstParty: boolean;
  scopes: ApplicationScope[];
  requirePkce: boolean;
}

export function emptyApplicationForm(): ApplicationFormModel {
  return {
    name: '',
    logoUrl: '',
    redirectUrisText: '',
    postLogoutRedirectUrisText: '',
    type: 'confidential',
    secretAuthMethod: 'client_secret_basic',
    firstParty: false,
    scopes: ['openid', 'profile'],
    requirePkce: true,
  };
}

function knownScopes(scopes: readonly string[]): ApplicationScope[] {
  return APPLICATION_SCOPES.filter((scope) => scopes.includes(scope));
}

export function applicationFormOf(application: Application): ApplicationFormModel {
  return {
    name: application.name,
    logoUrl: application.logoUrl ?? '',
    redirectUrisText: application.redirectUris.join('\n'),
    postLogoutRedirectUrisText: application.postLogoutRedirectUris.join('\n'),
    type: application.type,
    secretAuthMethod: application.tokenEndpointAuthMethod === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
    firstParty: application.firstParty,
    scopes: knownScopes(application.scopes),
    requirePkce: application.requirePkce,
  };
}

/** One URI a line; blank lines and surrounding spaces do not count. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export type UriListProblem =
  | { kind: 'required' }
  | { kind: 'tooMany'; max: number }
  | { kind: 'invalid'; line: number; uri: string }
  | { kind: 'duplicate'; line: number; uri: string };

/** The first thing wrong with a URI list, by the server's own rules (shared), or null. Lines count from 1, blank ones skipped. */
export function uriListProblem(text: string, required: boolean): UriListProblem | null {
  const uris = linesOf(text);
  if (uris.length === 0) return required ? { kind: 'required' } : null;
  if (uris.length > MAX_REDIRECT_URIS) return { kind: 'tooMany', max: MAX_REDIRECT_URIS };
  const seen = new Set<string>();
  for (const [index, uri] of uris.entries()) {
    if (redirectUriProblem(uri)) return { kind: 'invalid', line: index + 1, uri };
    if (seen.has(uri)) return { kind: 'duplicate', line: index + 1, uri };
    seen.add(uri);
  }
  return null;
}

/** An https image URL, or empty: what the server accepts for a logo. */
export function isAcceptableLogoUrl(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  return URL.canParse(trimmed) && new URL(trimmed).protocol === 'https:' && !trimmed.includes('#') && !/\s/.test(trimmed);
}

function commonInput(form: ApplicationFormModel) {
  return {
    name: form.name.trim(),
    logoUrl: form.logoUrl.trim(),
    redirectUris: linesOf(form.redirectUrisText),
    postLogoutRedirectUris: linesOf(form.postLogoutRedirectUrisText),
    firstParty: form.firstParty,
    scopes: knownScopes(form.scopes),
    // Public applications always use PKCE; the switch is not shown for them.
    requirePkce: form.type === 'public' ? true : form.requirePkce,
  };
}

export function createInputOf(form: ApplicationFormModel): CreateApplicationInput {
  return { ...commonInput(form), type: form.type, ...(form.type === 'confidential' ? { secretAuthMethod: form.secretAuthMethod } : {}) };
}

/** The edit sends every editable field: the type and how the secret is sent stay as registered. */
export function updateInputOf(form: ApplicationFormModel): UpdateApplicationInput {
  return commonInput(form);
}
