import { pino } from 'pino';
import { expect } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { FetchFunction } from '../../src/wechat/api/transport.js';

/** What the unit tests of src/wechat/api/ share: a scripted WeChat behind `fetch`, and a log they can read. */

export interface RecordedCall {
  url: URL;
  method: string;
  body: unknown;
}

/** A fake WeChat: answers each call with the next handler result (the last one repeats). */
export function fakeWechat(...answers: Array<(call: RecordedCall) => Response | Promise<Response>>) {
  const calls: RecordedCall[] = [];
  const fetch: FetchFunction = async (url, init) => {
    const call = { url, method: init.method ?? 'GET', body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined };
    calls.push(call);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (answer === undefined) throw new Error('no answer configured');
    return answer(call);
  };
  return { fetch, calls };
}

export const json = (value: unknown, status = 200) => () => new Response(JSON.stringify(value), { status });
export const errcode = (code: number, errmsg = `error ${code} rid: 6650f1a2-0d1e`) => json({ errcode: code, errmsg });

export function logCapture() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

export async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
