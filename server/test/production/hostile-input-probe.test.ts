import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, it } from 'vitest';
import { computeSignature } from '../../src/wechat/crypto.js';
import { startWechatHarness, TEST_WECHAT, type WechatHarness } from '../support/wechat-harness.js';

let h: WechatHarness;
beforeAll(async () => { h = await startWechatHarness({ mode: 'safe' }); });
afterAll(async () => { await h?.close(); });

function show(name: string, res: { status: number; text: string; headers: Record<string, string> }) {
  console.log(`### ${name}: ${res.status} ${res.headers['content-type']} ${String(res.text).slice(0, 300)}`);
}

it('probe', async () => {
  const app = h.runtime.app;
  show('xfp space', await request(app).post('/api/auth/sign-in/email').set('X-Forwarded-Proto', 'a b').send({ email: 'a@example.com', password: 'xxxxxxxx' }));
  show('xfp get-session', await request(app).get('/api/auth/get-session').set('X-Forwarded-Proto', '1http'));
  show('host bad', await request(app).post('/api/auth/sign-in/email').set('Host', '[::1').send({ email: 'a@example.com', password: 'xxxxxxxx' }));
  show('host evil', await request(app).post('/api/auth/sign-in/email').set('Host', 'evil.example.com').send({ email: 'a@example.com', password: 'xxxxxxxx' }));
  show('host with path', await request(app).get('/api/auth/ok').set('Host', 'a/b?c'));
  show('auth get ok', await request(app).get('/api/auth/ok'));
  const big = Buffer.alloc(20 * 1024 * 1024, 0x61);
  const t0 = Date.now();
  show('auth 20MB', await request(app).post('/api/auth/sign-in/email').set('Content-Type', 'application/json').send(Buffer.concat([Buffer.from('{"email":"a@example.com","password":"'), big, Buffer.from('"}')])));
  console.log('ms', Date.now() - t0);
  show('auth form nested', await request(app).post('/api/auth/sign-in/email').type('form').send('email[$gt]=&password[$gt]='));
  show('auth form dup', await request(app).post('/api/auth/sign-in/username').type('form').send('username=a&username=b&password=xxxxxxxx'));
  show('auth json array', await request(app).post('/api/auth/sign-in/email').set('Content-Type', 'application/json').send('[1,2]'));
  show('auth json null', await request(app).post('/api/auth/sign-in/email').set('Content-Type', 'application/json').send('null'));
  show('auth json proto', await request(app).post('/api/auth/sign-up/email').set('Content-Type', 'application/json').send('{"__proto__":{"role":"admin"},"email":"p@example.com","password":"xxxxxxxxxx","name":"p"}'));
  show('auth signup role', await request(app).post('/api/auth/sign-up/email').send({ email: 'q@example.com', password: 'xxxxxxxxxx', name: 'q', role: 'admin' }));
  show('auth lone surrogate', await request(app).post('/api/auth/sign-in/username').set('Content-Type', 'application/json').send('{"username":"\\ud800","password":"xxxxxxxx"}'));
  show('auth username 10KB', await request(app).post('/api/auth/sign-in/username').send({ username: 'u'.repeat(10240), password: 'xxxxxxxx' }));
  show('auth bad utf8', await request(app).post('/api/auth/sign-in/username').set('Content-Type', 'application/json').send(Buffer.from([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d])));
  show('auth charset', await request(app).post('/api/auth/sign-in/username').set('Content-Type', 'application/json; charset=utf-7').send('{}'));
  show('auth multipart', await request(app).post('/api/auth/sign-in/username').field('username', 'x').field('password', 'y'));
  show('auth method', await request(app).put('/api/auth/sign-in/username').send({}));
  show('auth sign-in-wechat get', await request(app).get('/api/auth/sign-in-wechat?sceneId=aaaaaaaaaaaaaaaaaaaaaaaa'));
  show('auth deep json', await request(app).post('/api/auth/sign-in/username').set('Content-Type', 'application/json').send('['.repeat(100000) + ']'.repeat(100000)));
}, 60000);
