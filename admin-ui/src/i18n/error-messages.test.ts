import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from '@wechat-login/shared';
import en from './locales/en';
import zhCN from './locales/zh-CN';

describe('error messages', () => {
  it('has zh-CN and English text for every code the server answers with', () => {
    for (const code of API_ERROR_CODES) {
      expect(zhCN.errors[code], `zh-CN ${code}`).toMatch(/\S/);
      expect(en.errors[code], `en ${code}`).toMatch(/\S/);
      expect(en.errors[code], `en ${code} is still Chinese`).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
