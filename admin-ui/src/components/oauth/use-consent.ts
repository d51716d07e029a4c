import { onMounted, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { fetchPublicClient, submitConsent, type ProviderAnswer, type PublicClient } from '@/api/oauth-consent';
import { ROUTE_NAMES } from '@/router/route-names';
import type { AuthorizationHandOff } from './authorization-hand-off';
import { leavePage } from './leave-page';
import { useRouteHandOff } from './route-hand-off';

export type ConsentDecision = 'allow' | 'deny';

export interface Consent {
  /** Null when the address carries no signed request (nothing to consent to). */
  handOff: AuthorizationHandOff | null;
  client: ShallowRef<PublicClient | null>;
  loading: Ref<boolean>;
  /** Message keys: the app could not be loaded, or the choice could not be sent. */
  loadErrorKey: Ref<string | null>;
  submitErrorKey: Ref<string | null>;
  /** The choice being sent, then followed to the app. */
  deciding: Ref<ConsentDecision | null>;
  load(): Promise<void>;
  decide(decision: ConsentDecision): Promise<void>;
}

/**
 * /oauth/consent?<signed request>: the app's public face, and the person's answer sent to the provider,
 * which answers with the app's redirect URI (a code, or access_denied with the app's state). A signature
 * too old is renewed once. First-party apps (skip consent) never send anyone here: the provider skips it.
 */
export function useConsent(): Consent {
  const handOff = useRouteHandOff(ROUTE_NAMES.oauthConsent);
  const client = shallowRef<PublicClient | null>(null);
  const loading = ref(false);
  const loadErrorKey = ref<string | null>(null);
  const submitErrorKey = ref<string | null>(null);
  const deciding = ref<ConsentDecision | null>(null);

  async function load(): Promise<void> {
    if (!handOff) return;
    loading.value = true;
    loadErrorKey.value = null;
    const result = await fetchPublicClient(handOff.request.clientId);
    loading.value = false;
    if (result.ok) client.value = result.data;
    else loadErrorKey.value = result.errorKey;
  }

  async function send(accept: boolean, forceRenewal: boolean): Promise<ProviderAnswer | null> {
    const oauthQuery = await handOff!.signedQuery(forceRenewal);
    if (!oauthQuery) return null;
    return submitConsent(accept, oauthQuery);
  }

  async function decide(decision: ConsentDecision): Promise<void> {
    if (!handOff || deciding.value) return;
    deciding.value = decision;
    submitErrorKey.value = null;
    const accept = decision === 'allow';
    let answer = await send(accept, false);
    if (answer && !answer.ok && answer.invalidSignature) answer = await send(accept, true);
    // A renewal found the request settled elsewhere (another tab): the browser is on its way there.
    if (handOff.leaving.value) return;
    if (answer?.ok) {
      handOff.leaving.value = true;
      leavePage(new URL(answer.url, window.location.origin).href);
      return;
    }
    deciding.value = null;
    submitErrorKey.value = answer === null || answer.invalidSignature ? 'oauth.errors.requestExpired' : answer.errorKey;
  }

  onMounted(load);

  return { handOff, client, loading, loadErrorKey, submitErrorKey, deciding, load, decide };
}
