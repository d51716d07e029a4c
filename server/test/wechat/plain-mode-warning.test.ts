import { describe, expect, it } from 'vitest';
import { capturedLog } from '../support/captured-log.js';
import { createTestRuntime } from '../support/test-runtime.js';
import { TEST_WECHAT } from '../support/wechat-harness.js';

/** Issue 11, item 1: a production deployment in plain mode is told, once, at start, what it risks. */

const production = {
  NODE_ENV: 'production',
  WECHAT_MP_APPID: TEST_WECHAT.appId,
  WECHAT_MP_SECRET: TEST_WECHAT.appSecret,
  WECHAT_MP_TOKEN: TEST_WECHAT.token,
  // Nothing listens here: the start must not need WeChat.
  WECHAT_MP_API_BASE: 'http://127.0.0.1:9',
};

async function startLines(env: Record<string, string>) {
  const log = capturedLog('info');
  const runtime = await createTestRuntime({ env, logger: log.logger });
  await runtime.close();
  return log.entries().filter((entry) => String(entry.msg).includes('WECHAT_MP_ENCODING_AES_KEY'));
}

describe('plain mode in production', () => {
  it('logs one warning that says why safe mode is recommended', async () => {
    const lines = await startLines(production);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40 });
    expect(lines[0]!.msg).toMatch(/^\[WeChat MP\] /);
    expect(lines[0]!.msg).toMatch(/plain mode/i);
    expect(lines[0]!.msg).toMatch(/safe mode/i);
    expect(lines[0]!.msg).toMatch(/signature covers only the Token, timestamp and nonce/);
  });

  it('says nothing with an EncodingAESKey (safe mode), or outside production', async () => {
    expect(await startLines({ ...production, WECHAT_MP_ENCODING_AES_KEY: TEST_WECHAT.encodingAESKey })).toHaveLength(0);
    expect(await startLines({ ...production, NODE_ENV: 'test' })).toHaveLength(0);
  });
});
