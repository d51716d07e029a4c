import { beforeEach, vi } from 'vitest';

// Every UI test starts from an empty page: components are mounted onto document.body (mount-with-app.ts), and
// Element Plus teleports dialogs and message boxes there, so what one test left behind would answer the next
// test's queries.
beforeEach(() => {
  document.body.innerHTML = '';
  // async-validator logs every failed rule to the console otherwise; the tests provoke failures on purpose.
  vi.stubGlobal('ASYNC_VALIDATOR_NO_WARNING', true);
});
