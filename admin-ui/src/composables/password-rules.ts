import type { FormItemRule } from 'element-plus';

/** better-auth's limits as the server configures them (emailAndPassword.min/maxPasswordLength). */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** Rules for a new password field; the server checks the same limits. */
export function newPasswordRules(t: Translate): FormItemRule[] {
  return [
    { required: true, message: t('account.password.newRequired'), trigger: 'blur' },
    { min: MIN_PASSWORD_LENGTH, message: t('account.password.tooShort', { min: MIN_PASSWORD_LENGTH }), trigger: 'blur' },
    { max: MAX_PASSWORD_LENGTH, message: t('account.password.tooLong', { max: MAX_PASSWORD_LENGTH }), trigger: 'blur' },
  ];
}

/** The confirmation must repeat the new password exactly. */
export function repeatPasswordRule(t: Translate, newPassword: () => string): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_rule, value: string, callback) =>
      value === newPassword() ? callback() : callback(new Error(t('account.password.mismatch'))),
  };
}
