/**
 * The reference points: a bare Express 5 endpoint answering the same small JSON
 * as get-scan-result for a pending scene, with no middleware and no database,
 * and the same with the one database read get-scan-result needs (findOne by
 * _id through the official driver, in the database named by `db`). Throughput figures
 * are given as ratios to the first, measured in the same run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { MongoClient } from 'mongodb';
import { BARE_DB_PATH, BARE_PATH } from './bare-paths.js';
import { announceReady, serveIpc } from './ipc.js';
import { processUsage } from './process-usage.js';

const client = process.env.MONGODB_URI ? new MongoClient(process.env.MONGODB_URI) : null;
await client?.connect();

const app = express();
app.disable('x-powered-by');
app.set('query parser', 'simple');
app.get(BARE_PATH, (_req, res) => {
  res.setHeader('Cache-Control', 'no-store').json({ success: true, data: { scanned: false } });
});
app.get(BARE_DB_PATH, async (req, res) => {
  const scenes = client?.db(String(req.query.db)).collection<{ _id: string; status: string }>('wechat_scenes');
  const scene = await scenes?.findOne({ _id: String(req.query.sceneId) });
  if (!scene) {
    res.status(404).json({ success: false });
    return;
  }
  res.setHeader('Cache-Control', 'no-store').json({ success: true, data: { scanned: scene.status !== 'pending' } });
});
const server = createServer(app);
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

const stop = () => {
  server.closeAllConnections();
  server.close(() => void (client?.close() ?? Promise.resolve()).finally(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
serveIpc({ usage: ({ collectGarbage }: { collectGarbage: boolean }) => processUsage(collectGarbage) });
announceReady(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
