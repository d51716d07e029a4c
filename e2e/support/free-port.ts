import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on right now, for a server that must know its
 * own address before it starts (its public URL goes into the links it hands out).
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('the system gave no loopback port'))));
    });
  });
}
