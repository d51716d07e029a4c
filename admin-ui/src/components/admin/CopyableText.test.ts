import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountWithApp } from '@/test-support/mount-with-app';
import { stubClipboard } from '@/test-support/user-agents';
import CopyableText from './CopyableText.vue';
import type { CopyTexts } from './copy-text';

/** The one copy button the dashboard shows next to a value: its texts come from the place that shows it. */

const TEXTS: CopyTexts = {
  copy: 'Copy it',
  copied: 'Done',
  label: 'Copy the client ID',
  copiedMessage: 'Client ID copied',
  failedMessage: 'Select and press Ctrl+C',
};

function mountCopyable(value: string) {
  return mountWithApp(CopyableText, { props: { value, texts: TEXTS, testId: 'client-id' }, locale: 'en' });
}

describe('a value with a copy button', () => {
  afterEach(() => {
    Reflect.deleteProperty(document, 'execCommand');
  });

  it('shows the value and a button named by the place that shows it', () => {
    const copyable = mountCopyable('shopClientId');
    expect(copyable.get('[data-testid="client-id"]').text()).toBe('shopClientId');
    const button = copyable.get('[data-testid="copy-client-id"]');
    expect(button.attributes('aria-label')).toBe('Copy the client ID');
    expect(button.text()).toBe('Copy it');
  });

  it('copies the value and says so in the given words', async () => {
    const writeText = stubClipboard();
    const copyable = mountCopyable('shopClientId');
    await copyable.get('[data-testid="copy-client-id"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('shopClientId');
    expect(copyable.get('[data-testid="copy-client-id"]').text()).toBe('Done');
    expect(document.body.textContent).toContain('Client ID copied');
  });

  it('does not call a new value copied', async () => {
    stubClipboard();
    const copyable = mountCopyable('shopClientId');
    await copyable.get('[data-testid="copy-client-id"]').trigger('click');
    await flushPromises();
    await copyable.setProps({ value: 'backOfficeClientId' });
    expect(copyable.get('[data-testid="copy-client-id"]').text()).toBe('Copy it');
  });

  it('selects the value and asks for Ctrl+C when nothing can copy', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(undefined as unknown as Clipboard);
    Object.defineProperty(document, 'execCommand', { value: vi.fn(() => false), configurable: true });
    const copyable = mountCopyable('shopClientId');
    await copyable.get('[data-testid="copy-client-id"]').trigger('click');
    await flushPromises();
    expect(window.getSelection()?.toString()).toBe('shopClientId');
    expect(document.body.textContent).toContain('Select and press Ctrl+C');
    expect(copyable.get('[data-testid="copy-client-id"]').text()).toBe('Copy it');
  });
});
