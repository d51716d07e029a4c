import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { defineComponent, h, type ShallowUnwrapRef } from 'vue';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import { type SubmitErrorDisplay, useSubmit } from './use-submit';

/** A form with nothing but the composable, so each test drives `submit` by hand. */
function mountSubmitter(showErrorAs?: SubmitErrorDisplay) {
  const Host = defineComponent({
    setup: () => useSubmit(showErrorAs ? { showErrorAs } : {}),
    render: () => h('div'),
  });
  const wrapper = mountWithApp(Host, { locale: 'en' });
  // What setup returns is on the instance, its refs unwrapped.
  return wrapper.vm as unknown as ShallowUnwrapRef<ReturnType<typeof useSubmit>>;
}

/** A call the test answers by hand (every copy of it that was sent), so it can act while the call is on its way. */
function pendingCall<T>() {
  const waiting: ((result: ApiResult<T>) => void)[] = [];
  const send = vi.fn(() => new Promise<ApiResult<T>>((resolve) => waiting.push(resolve)));
  return { send, answer: (result: ApiResult<T>) => waiting.forEach((resolve) => resolve(result)) };
}

const refused = (errorKey: 'errors.INVALID_PASSWORD' | 'errors.NETWORK_ERROR'): ApiResult<never> => ({ ok: false, errorKey });

describe('useSubmit', () => {
  it('sends nothing when the checks fail, and shows no spinner for them', async () => {
    const form = mountSubmitter();
    const send = vi.fn(async (): Promise<ApiResult<unknown>> => ({ ok: true, data: {} }));

    expect(await form.submit({ ready: async () => false, send })).toBe(false);

    expect(send).not.toHaveBeenCalled();
    expect(form.submitting).toBe(false);
  });

  it('sends once however often the form is submitted while the call is on its way', async () => {
    const form = mountSubmitter();
    const { send, answer } = pendingCall<{ saved: true }>();
    const onSuccess = vi.fn();

    const first = form.submit({ send, onSuccess });
    const second = form.submit({ send, onSuccess });
    await flushPromises();
    expect(form.submitting).toBe(true);
    answer({ ok: true, data: { saved: true } });

    expect(await Promise.all([first, second])).toEqual([true, false]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(onSuccess).toHaveBeenCalledTimes(1);
    expect(onSuccess).toHaveBeenCalledWith({ saved: true });
    expect(form.submitting).toBe(false);
  });

  it('ignores a second submission while the first one waits for its confirmation', async () => {
    const form = mountSubmitter();
    const dialogs: ((yes: boolean) => void)[] = [];
    const ready = vi.fn(() => new Promise<boolean>((resolve) => dialogs.push(resolve)));
    const send = vi.fn(async (): Promise<ApiResult<unknown>> => ({ ok: true, data: {} }));

    const first = form.submit({ ready, send });
    const second = form.submit({ ready, send });
    dialogs.forEach((confirm) => confirm(true));

    expect(await Promise.all([first, second])).toEqual([true, false]);
    expect(ready).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('keeps the form submitting until the success steps are done', async () => {
    const form = mountSubmitter();
    const seenWhileSucceeding: boolean[] = [];

    await form.submit({ send: async () => ({ ok: true, data: null }), onSuccess: () => void seenWhileSucceeding.push(form.submitting) });

    expect(seenWhileSucceeding).toEqual([true]);
    expect(form.submitting).toBe(false);
  });

  it('puts a refusal in the form\'s alert, and clears it only once the next attempt is sent', async () => {
    const form = mountSubmitter();

    expect(await form.submit({ send: async () => refused('errors.INVALID_PASSWORD') })).toBe(false);
    expect(form.errorKey).toBe('errors.INVALID_PASSWORD');

    await form.submit({ ready: () => false, send: async () => ({ ok: true, data: {} }) });
    expect(form.errorKey).toBe('errors.INVALID_PASSWORD');

    const { send, answer } = pendingCall<unknown>();
    const retry = form.submit({ send });
    await flushPromises();
    expect(form.errorKey).toBeNull();
    answer({ ok: true, data: {} });
    expect(await retry).toBe(true);
    expect(form.errorKey).toBeNull();
  });

  it('shows a refusal as a toast in the user\'s language where the form has no alert', async () => {
    const form = mountSubmitter('toast');

    await form.submit({ send: async () => refused('errors.NETWORK_ERROR') });

    // The toast's code is fetched when first needed: poll for it, with a generous bound.
    await vi.waitFor(() => expect(document.querySelector('.el-message')?.textContent).toContain('Cannot reach the server'), { timeout: 10_000 });
    expect(form.errorKey).toBeNull();
  });

  it('leaves a refusal the form handles itself to the form, and shows the others', async () => {
    const form = mountSubmitter();
    const onRefused = vi.fn((errorKey: string) => errorKey === 'errors.INVALID_PASSWORD');

    await form.submit({ send: async () => refused('errors.INVALID_PASSWORD'), onRefused });
    expect(form.errorKey).toBeNull();

    await form.submit({ send: async () => refused('errors.NETWORK_ERROR'), onRefused });
    expect(form.errorKey).toBe('errors.NETWORK_ERROR');
    expect(onRefused).toHaveBeenCalledTimes(2);
  });

  it('can be submitted again after a call that threw', async () => {
    const form = mountSubmitter();

    await expect(form.submit({ send: () => Promise.reject(new Error('bug')) })).rejects.toThrow('bug');
    expect(form.submitting).toBe(false);

    expect(await form.submit({ send: async () => ({ ok: true, data: {} }) })).toBe(true);
  });
});
