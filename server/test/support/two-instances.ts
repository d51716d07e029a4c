import { inject } from 'vitest';
import { MongoClient } from 'mongodb';
import { WECHAT_PUBLIC_PATH, WECHAT_PUBLIC_ROUTES } from '@wechat-login/shared';
import { startWechatSimulatorServer } from '../../src/simulator/server.js';
import type { MessageMode } from '../../src/simulator/options.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { TEST_BASE_URL, uniqueDbName } from './test-runtime.js';
import { TEST_WECHAT } from './wechat-harness.js';

export interface TwoInstances {
  a: ServerProcess;
  b: ServerProcess;
  simulator: Awaited<ReturnType<typeof startWechatSimulatorServer>>;
  /** A client of the database server, and the name of the database both instances share. */
  mongo: MongoClient;
  dbName: string;
  close(): Promise<void>;
}

/**
 * Two server processes on one database, as behind a load balancer, with the WeChat simulator
 * pushing to whichever instance `webhookTarget` names at the time of each push (the caller's
 * variables, set once this resolves). Both start together, as after a deploy.
 */
export async function startTwoInstances(options: {
  mode: MessageMode;
  dbPrefix: string;
  /** Asked at each push: the instance WeChat's push goes to (a load balancer's choice). */
  webhookTarget: () => ServerProcess;
  env?: Record<string, string>;
}): Promise<TwoInstances> {
  const dbName = uniqueDbName(options.dbPrefix);
  const simulator = await startWechatSimulatorServer({
    ...TEST_WECHAT,
    messageMode: options.mode,
    webhookUrl: () => `${options.webhookTarget().url}${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.webhook}`,
  });
  const uri = new URL(inject('mongoUri'));
  uri.pathname = `/${dbName}`;
  const env = {
    MONGODB_URI: uri.toString(),
    WECHAT_MP_APPID: TEST_WECHAT.appId,
    WECHAT_MP_SECRET: TEST_WECHAT.appSecret,
    WECHAT_MP_TOKEN: TEST_WECHAT.token,
    ...(options.mode === 'plain' ? {} : { WECHAT_MP_ENCODING_AES_KEY: TEST_WECHAT.encodingAESKey }),
    WECHAT_MP_API_BASE: simulator.url,
    WECHAT_MP_OAUTH_BASE: simulator.url,
    // The phone is routed by rewriting its links to an instance; WeChat's way back from its
    // authorization page goes to BETTER_AUTH_URL, which no load balancer serves here. The opener
    // check keeps nothing per instance (its states are in the database, its proof a MAC), and has its own tests.
    WECHAT_MP_CONFIRM_VERIFY_OPENER: 'false',
    ...options.env,
  };
  const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  const mongo = await MongoClient.connect(inject('mongoUri'));
  return {
    a,
    b,
    simulator,
    mongo,
    dbName,
    close: async () => {
      await Promise.all([a.kill(), b.kill()]);
      await simulator.close();
      await mongo.close();
    },
  };
}

/** A browser talking to one instance (or, per call, another): it keeps the cookies it is given. */
export function browserOn(instance: () => ServerProcess) {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [name, ...value] = line.split(';')[0]!.split('=');
      cookies.set(name!, value.join('='));
    }
    return res;
  };
  return {
    get: (path: string, on = instance) => fetch(`${on().url}${path}`, { headers: { cookie: cookieHeader() } }).then(remember),
    post: (path: string, body: object, on = instance) =>
      fetch(`${on().url}${path}`, {
        method: 'POST',
        headers: { cookie: cookieHeader(), origin: TEST_BASE_URL, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(remember),
    cookieHeader,
  };
}

/** The chat reply with its confirmation link pointed at one instance, as a load balancer would route the phone. */
export function replyOnInstance(reply: Record<string, string> | null, instance: ServerProcess): Record<string, string> | null {
  return reply && { ...reply, Content: (reply.Content ?? '').replaceAll(TEST_BASE_URL, instance.url) };
}
