import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mountWithApp } from '@/test-support/mount-with-app';
import { checkAvatarFile, formatBytes } from './avatar-file-check';
import AvatarPicker from './AvatarPicker.vue';

const RULES = { maxBytes: 1024 * 1024, contentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as ('image/png' | 'image/jpeg' | 'image/webp' | 'image/gif')[] };

function mountPicker(locale: 'zh-CN' | 'en' = 'zh-CN') {
  return mountWithApp(AvatarPicker, {
    props: { rules: RULES, currentImage: null, name: 'WeChat user 1a2b', file: null, 'onUpdate:file': vi.fn() },
    locale,
  });
}

async function choose(picker: ReturnType<typeof mountPicker>, file: File): Promise<void> {
  const input = picker.get('input[type="file"]');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
}

describe('checkAvatarFile', () => {
  it('accepts the four image types up to the limit, and nothing else', () => {
    expect(checkAvatarFile({ type: 'image/webp', size: 1024 }, RULES)).toBeNull();
    expect(checkAvatarFile({ type: 'image/png', size: RULES.maxBytes }, RULES)).toBeNull();
    expect(checkAvatarFile({ type: 'image/png', size: RULES.maxBytes + 1 }, RULES)).toBe('tooLarge');
    expect(checkAvatarFile({ type: 'image/svg+xml', size: 100 }, RULES)).toBe('wrongType');
    expect(checkAvatarFile({ type: '', size: 100 }, RULES)).toBe('wrongType');
    expect(checkAvatarFile({ type: 'image/png', size: 0 }, RULES)).toBe('wrongType');
  });

  it('writes sizes people read', () => {
    expect(formatBytes(1024 * 1024)).toBe('1 MB');
    expect(formatBytes(1536 * 1024)).toBe('1.5 MB');
    expect(formatBytes(512 * 1024)).toBe('512 KB');
  });
});

describe('the avatar picker', () => {
  beforeEach(() => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:preview-1'), revokeObjectURL: vi.fn() }));
  });

  it('takes a PNG and shows it as the preview', async () => {
    const picker = mountPicker();
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'me.png', { type: 'image/png' });
    await choose(picker, png);
    expect(picker.emitted('update:file')?.[0]).toEqual([png]);
    await picker.setProps({ file: png });
    expect(picker.get('[data-testid="avatar-preview"] img').attributes('src')).toBe('blob:preview-1');
    expect(picker.find('[role="alert"]').exists()).toBe(false);
  });

  it('refuses an SVG and a file over the limit before anything is sent, in the user\'s language', async () => {
    const picker = mountPicker();
    await choose(picker, new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' }));
    expect(picker.get('[role="alert"]').text()).toBe('只能上传 PNG、JPEG、WebP 或 GIF 图片');
    await choose(picker, new File([new Uint8Array(RULES.maxBytes + 1)], 'big.png', { type: 'image/png' }));
    expect(picker.get('[role="alert"]').text()).toBe('图片太大：最大 1 MB');
    expect(picker.emitted('update:file')).toBeUndefined();

    const english = mountPicker('en');
    await choose(english, new File(['%PDF'], 'x.pdf', { type: 'application/pdf' }));
    expect(english.get('[role="alert"]').text()).toBe('Only PNG, JPEG, WebP or GIF images can be uploaded');
  });
});
