import { useRouter } from 'vue-router';
import { ROUTE_NAMES } from '@/router/route-names';
import { useSessionStore } from '@/stores/session';
import { useSubmit } from './use-submit';

/** Sign-out as the header menu and the account page both offer it. */
export function useSignOut() {
  const session = useSessionStore();
  const router = useRouter();
  const { submitting: signingOut, submit } = useSubmit({ showErrorAs: 'toast' });

  async function signOut(): Promise<void> {
    await submit({ send: session.signOut, onSuccess: () => router.replace({ name: ROUTE_NAMES.signIn }) });
  }

  return { signingOut, signOut };
}
