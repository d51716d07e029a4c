import { ref } from 'vue';
import type { OwnProfile } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { completeOwnProfile, fetchOwnProfile, uploadOwnAvatar } from '@/api/profile';
import type { ErrorMessageKey } from '@/i18n';

/** The welcome page's data: the profile as it is, and "save" = upload the avatar (if chosen), then complete. */
export function useProfileCompletion() {
  const profile = ref<OwnProfile | null>(null);
  const loading = ref(false);
  const loadErrorKey = ref<ErrorMessageKey | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    loadErrorKey.value = null;
    const result = await fetchOwnProfile();
    loading.value = false;
    if (result.ok) profile.value = result.data;
    else loadErrorKey.value = result.errorKey;
  }

  /** The avatar goes first: if the server refuses it, nothing is marked complete and the user can choose another. */
  async function save(input: { name: string; avatar: File | null }): Promise<ApiResult<OwnProfile>> {
    if (input.avatar) {
      const uploaded = await uploadOwnAvatar(input.avatar);
      if (!uploaded.ok) return uploaded;
      profile.value = uploaded.data;
    }
    const completed = await completeOwnProfile({ name: input.name.trim() });
    if (completed.ok) profile.value = completed.data;
    return completed;
  }

  return { profile, loading, loadErrorKey, load, save };
}
