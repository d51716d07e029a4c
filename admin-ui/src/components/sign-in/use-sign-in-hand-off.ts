import { onMounted, provide, ref, type Ref } from 'vue';
import { fetchPublicClientBeforeSignIn } from '@/api/oauth-consent';
import { isSessionFresh } from '@/api/oauth-request';
import { AUTHORIZATION_HAND_OFF, type AuthorizationHandOff } from '@/components/oauth/authorization-hand-off';
import { useRouteHandOff } from '@/components/oauth/route-hand-off';
import { ROUTE_NAMES } from '@/router/route-names';
import { useSessionStore } from '@/stores/session';

export interface SignInHandOff {
  /** Null on an ordinary sign-in (no app's request in the address). */
  handOff: AuthorizationHandOff | null;
  /** The app's name, once the provider said it. */
  appName: Ref<string | null>;
  /** Asking the provider where to go (a signed-in visitor), or why that failed. */
  resuming: Ref<boolean>;
  /** A message key (oauth.errors.*). */
  failedKey: Ref<string | null>;
  /** After a sign-in: true when the app's authorization takes over (the page must not go anywhere itself). */
  afterSignIn(): Promise<boolean>;
  retry(): Promise<void>;
}

/**
 * /sign-in?<an app's authorization request>: every sign-in method hands the person on to the
 * provider, which answers with the consent page or the app. A visitor who is signed in already goes on
 * at once (unless the app asked for a fresh sign-in: then the provider sends them back here to sign
 * in). The page names the app ("Sign in to continue to Shop") from the provider's public fields.
 */
export function useSignInHandOff(): SignInHandOff {
  const session = useSessionStore();
  const handOff = useRouteHandOff(ROUTE_NAMES.signIn);
  const appName = ref<string | null>(null);
  // A signed-in visitor is sent on at once: no form, and no QR code asked for, in between.
  const resuming = ref(handOff !== null && session.isSignedIn);
  const failedKey = ref<string | null>(null);
  if (handOff) provide(AUTHORIZATION_HAND_OFF, handOff);

  async function resume(freshSession: boolean): Promise<void> {
    if (!handOff) return;
    resuming.value = true;
    failedKey.value = null;
    const outcome = await handOff.resume({ freshSession });
    resuming.value = outcome === 'left';
    if (outcome === 'failed') failedKey.value = 'oauth.errors.continueFailed';
    // The app asked for a fresh sign-in (prompt=login, max_age): the form it is, for that app.
    if (outcome === 'sign-in') void loadAppName();
  }

  async function loadAppName(): Promise<void> {
    if (!handOff) return;
    const oauthQuery = await handOff.signedQuery();
    if (!oauthQuery) return;
    const client = await fetchPublicClientBeforeSignIn(handOff.request.clientId, oauthQuery);
    if (client.ok) appName.value = client.data.name;
  }

  onMounted(() => {
    if (!handOff) return;
    if (session.isSignedIn) void resume(isSessionFresh(handOff.request, session.session?.createdAt));
    else void loadAppName();
  });

  return {
    handOff,
    appName,
    resuming,
    failedKey,
    async afterSignIn() {
      if (!handOff) return false;
      // The provider's answer to the sign-in is being followed by better-auth's client already.
      if (!handOff.leaving.value) await resume(true);
      return true;
    },
    retry: () => resume(session.isSignedIn && handOff !== null && isSessionFresh(handOff.request, session.session?.createdAt)),
  };
}
