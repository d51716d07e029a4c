import { type InjectionKey, ref } from 'vue';
import { askAuthorization } from '@/api/oauth-consent';
import { authorizeUrl, isFresh, readOAuthRequest, type OAuthRequest } from '@/api/oauth-request';
import { leavePage } from './leave-page';

/** A better-auth client answer: the provider's hand-off is `data: {redirect: true, url}`. */
export interface AuthCallResponse {
  data: unknown;
  /** better-fetch's error: the answer's body fields (`error: 'invalid_signature'`), status and statusText. */
  error: unknown;
}

export interface HandOffOptions {
  /** The page's own path: an answer that comes back to it is a fresh signature, not somewhere to go. */
  pagePath: string;
  /** Puts a renewed request in the address bar, so a reload keeps it. */
  onRenewed?: (search: string) => void;
  now?: () => number;
}

export type ResumeOutcome = 'left' | 'sign-in' | 'failed';

/** A promise for a page that is being left: nothing after it should run, nothing should show an error. */
function leavingPage<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

function isInvalidSignature(response: AuthCallResponse): boolean {
  return (response.error as { error?: unknown } | null)?.error === 'invalid_signature';
}

function isHandOffAnswer(response: AuthCallResponse): boolean {
  const data = response.data as { redirect?: unknown; url?: unknown } | null;
  return data?.redirect === true && typeof data.url === 'string';
}

/**
 * An app's authorization request carried by one of our pages (/sign-in, /oauth/consent), and the page's
 * dealings with the provider about it: the signed query for the calls that continue the authorization,
 * renewed when it is too old, and the provider's answers followed. The browser only ever goes where the
 * provider answered, never to an address read from the query.
 */
export class AuthorizationHandOff {
  /** True once the browser is on its way to the provider's answer: the page shows "continuing". */
  readonly leaving = ref(false);

  constructor(
    public request: OAuthRequest,
    private readonly options: HandOffOptions,
  ) {}

  static fromSearch(search: string, options: HandOffOptions): AuthorizationHandOff | null {
    const request = readOAuthRequest(search, options.now?.());
    return request ? new AuthorizationHandOff(request, options) : null;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The signed query to send, renewed first when it would expire on the way; undefined when it could not be. */
  async signedQuery(forceRenewal = false): Promise<string | undefined> {
    if (!forceRenewal && isFresh(this.request, this.now())) return this.request.signedQuery;
    const answer = await askAuthorization(authorizeUrl(this.request, { freshSession: false }));
    if (!answer.ok) return undefined;
    return this.follow(answer.url) === 'renewed' ? this.request.signedQuery : undefined;
  }

  /**
   * A sign-in or consent call with the signed query: renewed and sent again once if the provider found it
   * too old. When the answer is the hand-off, better-auth's client is already following it.
   */
  async call<R extends AuthCallResponse>(send: (oauthQuery: string | undefined) => Promise<R>): Promise<R> {
    let oauthQuery = await this.signedQuery();
    if (this.leaving.value) return leavingPage();
    let response = await send(oauthQuery);
    if (oauthQuery && isInvalidSignature(response)) {
      oauthQuery = await this.signedQuery(true);
      if (this.leaving.value) return leavingPage();
      response = await send(oauthQuery);
    }
    if (isHandOffAnswer(response)) this.leaving.value = true;
    return response;
  }

  /**
   * Asks the provider where this request goes now, for a signed-in person: on to the consent page or the
   * app (followed), or `sign-in` when the provider wants a sign-in first (prompt=login, max_age), with a
   * fresh signature for it. `freshSession` when the person signed in after the request was made.
   */
  async resume(options: { freshSession: boolean }): Promise<ResumeOutcome> {
    const answer = await askAuthorization(authorizeUrl(this.request, options));
    if (!answer.ok) return 'failed';
    return this.follow(answer.url) === 'renewed' ? 'sign-in' : 'left';
  }

  /** Goes where the provider answered, unless that is this page again: then it is a new signature for it. */
  private follow(url: string): 'renewed' | 'left' {
    const here = window.location.origin;
    const target = new URL(url, here);
    if (target.origin === here && target.pathname === this.options.pagePath) {
      const renewed = readOAuthRequest(target.search, this.now());
      if (renewed) {
        this.request = renewed;
        this.options.onRenewed?.(target.search);
        return 'renewed';
      }
    }
    this.leaving.value = true;
    leavePage(target.href);
    return 'left';
  }
}

/** Provided by a page that carries an authorization request, for the forms and widgets inside it. */
export const AUTHORIZATION_HAND_OFF: InjectionKey<AuthorizationHandOff> = Symbol('authorization-hand-off');
