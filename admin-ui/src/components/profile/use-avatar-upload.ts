import { AVATAR_CONTENT_TYPES, DEFAULT_AVATAR_MAX_BYTES } from '@wechat-login/shared';
import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { ApiResult } from '@/api/api-result';
import { fetchOwnProfile } from '@/api/profile';
import { useSubmit } from '@/composables/use-submit';
import { type AvatarRules, checkAvatarFile, formatBytes } from './avatar-file-check';

/**
 * The file a file input was just given, with the input cleared so that choosing the same file again
 * still fires `change`; undefined when nothing was chosen.
 */
export function takeChosenFile(event: Event): File | undefined {
  const target = event.target as HTMLInputElement;
  const file = target.files?.[0];
  target.value = '';
  return file;
}

export interface AvatarUploadOptions {
  /** The one call that stores the picture (the person's own, or an admin's for a user). */
  send: (file: File) => Promise<ApiResult<unknown>>;
  /** After the server stored it: a toast in the page's own words, and telling the page. */
  onUploaded: () => void;
}

/**
 * An avatar uploaded as soon as it is chosen: checked first against the server's rules (type, size),
 * which the signed-in person's own profile carries, so that nobody waits for an upload that will be
 * refused; `uploading` and `errorKey` while and after it is sent. The server checks again either way.
 */
export function useAvatarUpload(options: AvatarUploadOptions) {
  const { t } = useI18n();
  const { submitting: uploading, errorKey, submit } = useSubmit();
  /** What is wrong with the chosen file, found before sending it. */
  const fileProblem = ref('');
  // The defaults until the server says its own.
  const rules = ref<AvatarRules>({ maxBytes: DEFAULT_AVATAR_MAX_BYTES, contentTypes: [...AVATAR_CONTENT_TYPES] });
  const maxSize = computed(() => formatBytes(rules.value.maxBytes));

  onMounted(async () => {
    const profile = await fetchOwnProfile();
    if (profile.ok) rules.value = profile.data.avatarRules;
  });

  async function upload(file: File): Promise<void> {
    await submit({
      ready: () => {
        const problem = checkAvatarFile(file, rules.value);
        fileProblem.value = problem ? t(`profile.avatar.${problem}`, { size: maxSize.value }) : '';
        return !problem;
      },
      send: () => options.send(file),
      onSuccess: options.onUploaded,
    });
  }

  return { rules, maxSize, fileProblem, uploading, errorKey, upload };
}
