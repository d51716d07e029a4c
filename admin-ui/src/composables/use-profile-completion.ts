import { ref } from 'vue';
import type { OwnProfile } from '@wechat-login/shared';
import { completeOwnProfile, fetchOwnProfile, uploadOwnAvatar } from '@/api/profile';
import type { ErrorMessageKey } from '@/i18n';

/** The welcome page's data: the profile as it is, and "save" = upload the avatar (if chosen), then complete. */
export function useProfileCompletion() {
  const profile = ref<OwnProfile | null>(null);
  const loading = ref(false);
  const loadErrorKey = ref<ErrorMessageKey | null>(null);
  const saving = ref(false);
  const saveErrorKey = ref<ErrorMessageKey | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    loadErrorKey.value = null;
    const result = await fetchOwnProfile();
    loading.value = false;
    if (result.ok) profile.value = result.data;
    else loadErrorKey.value = result.errorKey;
  }

  /** The avatar goes first: if the server refuses it, nothing is marked complete and the user can choose another. */
  async function save(input: { name: string; avatar: File | null }): Promise<boolean> {
    saving.value = true;
    saveErrorKey.value = null;
    try {
      if (input.avatar) {
        const uploaded = await uploadOwnAvatar(input.avatar);
        if (!uploaded.ok) {
          saveErrorKey.value = uploaded.errorKey;
          return false;
        }
        profile.value = uploaded.data;
      }
      const completed = await completeOwnProfile({ name: input.name.trim() });
      if (!completed.ok) {
        saveErrorKey.value = completed.errorKey;
        return false;
      }
      profile.value = completed.data;
      return true;
    } finally {
      saving.value = false;
    }
  }

  return { profile, loading, loadErrorKey, saving, saveErrorKey, load, save };
}
