import type { Page } from 'playwright-core';

/** Small page actions the journey repeats; each waits for the UI state it leads to. */

export async function signInWithUsername(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  const form = page.locator('[data-testid="username-sign-in"]');
  await form.locator('input[name="identifier"]').fill(username);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
}

/**
 * Presses the confirm button of the Element Plus message box titled `title` (every destructive action asks
 * first) and waits until it has gone. The title tells it apart from a box that opens right after it.
 */
export async function confirmMessageBox(page: Page, title: string): Promise<void> {
  const box = page.locator('.el-message-box', { has: page.locator('.el-message-box__title', { hasText: title }) });
  await box.waitFor({ state: 'visible' });
  await box.locator('.el-message-box__btns button').last().click();
  await box.waitFor({ state: 'hidden' });
}

/** Waits for a success toast with this text, then lets it go so the next one is not confused with it. */
export async function expectSuccessToast(page: Page, text: string): Promise<void> {
  const toast = page.locator('.el-message--success', { hasText: text });
  await toast.first().waitFor({ state: 'visible' });
}

export async function fillAndSubmit(page: Page, formSelector: string, fields: Record<string, string>): Promise<void> {
  const form = page.locator(formSelector);
  for (const [name, value] of Object.entries(fields)) await form.locator(`input[name="${name}"]`).fill(value);
  await form.locator('button[type="submit"]').click();
}
