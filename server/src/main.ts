import { createServer } from 'node:http';
import { config as loadDotenv } from 'dotenv';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { createStdoutLogger } from './logger.js';
import { repoRoot } from './paths.js';
import { createRuntime } from './runtime.js';

const SHUTDOWN_GRACE_MS = 10_000;

loadDotenv({ path: join(repoRoot, '.env'), quiet: true });

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createStdoutLogger(config.logLevel, config.nodeEnv);
const runtime = await createRuntime(config, logger, { serveSpa: true }).catch((error: Error) => {
  logger.fatal(`[API] start-up failed: ${error.message}`);
  process.exit(1);
});

const server = createServer(runtime.app);
server.keepAliveTimeout = 65_000; // longer than common load balancer idle timeouts
server.listen(config.port, config.host, () => {
  logger.info(`[API] listening on http://${config.host}:${config.port} (public URL ${config.auth.baseUrl})`);
});

let shuttingDown = false;
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info(`[API] ${signal} received: no new connections, finishing in-flight requests`);
  const force = setTimeout(() => {
    logger.warn('[API] requests still running after the grace period; closing them');
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.close();
  logger.info('[API] shut down cleanly');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
