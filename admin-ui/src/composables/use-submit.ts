import type { FormInstance } from 'element-plus';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { ApiResult } from '@/api/api-result';
import type { ErrorMessageKey } from '@/i18n';

/** Where a refusal the form does not handle itself is shown: in the form's alert (`errorKey`), or as a toast. */
export type SubmitErrorDisplay = 'alert' | 'toast';

export interface SubmitSteps<T> {
  /** Runs first: the form's rules, a confirmation, a local check. False stops quietly; nothing is sent. */
  ready?: () => boolean | Promise<boolean>;
  /** The one call to the server. */
  send: () => Promise<ApiResult<T>>;
  /** After the server agreed (a toast, a reload, an emit); the form still counts as submitting meanwhile. */
  onSuccess?: (data: T) => unknown;
  /** A refusal the form shows its own way (under a field, an explanation): return true when it did. */
  onRefused?: (errorKey: ErrorMessageKey) => boolean | Promise<boolean>;
}

/** The Element Plus form's rules as a yes/no: `validate()` rejects when a field is invalid. */
export async function isFormValid(form: FormInstance | undefined): Promise<boolean> {
  return (await form?.validate().catch(() => false)) === true;
}

/**
 * Every form of the dashboard submits the same way: check, send one call, then say how it went.
 * One submission at a time: a second click (or Enter) while one is on its way, or while its
 * confirmation dialog is open, does nothing.
 */
export function useSubmit(options: { showErrorAs?: SubmitErrorDisplay } = {}) {
  const { t } = useI18n();
  const submitting = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);
  // Not reactive: set before `ready`, whose checks are asynchronous, so that no spinner flashes while they run.
  let inProgress = false;

  function showRefusal(key: ErrorMessageKey): void {
    // The toast (and with it Element Plus's message) is fetched when first needed: the sign-in page submits
    // through here too, shows its refusals in an alert, and must not download it.
    if (options.showErrorAs === 'toast') void import('@/components/feedback/error-toast').then(({ showErrorToast }) => showErrorToast(t(key)));
    else errorKey.value = key;
  }

  /** Resolves true when the server agreed. */
  async function submit<T>(steps: SubmitSteps<T>): Promise<boolean> {
    if (inProgress) return false;
    inProgress = true;
    try {
      if (steps.ready && !(await steps.ready())) return false;
      submitting.value = true;
      errorKey.value = null;
      const result = await steps.send();
      if (result.ok) {
        await steps.onSuccess?.(result.data);
        return true;
      }
      if (!(await steps.onRefused?.(result.errorKey))) showRefusal(result.errorKey);
      return false;
    } finally {
      submitting.value = false;
      inProgress = false;
    }
  }

  return { submitting, errorKey, submit };
}
