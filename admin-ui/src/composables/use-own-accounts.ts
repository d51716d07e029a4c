import { computed, ref } from 'vue';
import { CREDENTIAL_PROVIDER_ID, listOwnAccounts, type OwnAccount } from '@/api/account';

/** The signed-in user's linked accounts; "has a password" means a `credential` account exists. */
export function useOwnAccounts() {
  const accounts = ref<OwnAccount[]>([]);
  const loaded = ref(false);

  const hasPassword = computed(() => accounts.value.some((account) => account.providerId === CREDENTIAL_PROVIDER_ID));

  async function load(): Promise<void> {
    const result = await listOwnAccounts();
    if (result.ok) accounts.value = result.data;
    loaded.value = true;
  }

  return { accounts, loaded, hasPassword, load };
}
