import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/app-harness.ts';

/** Connection caps and HTTP parser errors, over real sockets (inject bypasses both). */

let harness: Harness | null = null;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await harness?.close();
  harness = null;
});

/** Opens a raw connection, sends one keep-alive request and resolves with the raw response once it is complete. */
async function request(port: number, path: string, extraHeaders = ''): Promise<{ socket: Socket; status: number; body: string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let text = '';
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text);
      if (head >= 0 && length && text.length >= head + 4 + Number(length[1])) {
        resolve({ socket, closed, status: Number(text.slice(9, 12)), body: text.slice(head + 4) });
      }
    });
    socket.write(`GET ${path} HTTP/1.1\r\nhost: localhost\r\n${extraHeaders}\r\n`);
  });
}

async function listen(h: Harness): Promise<number> {
  await h.fastify.listen({ port: 0, host: '127.0.0.1' });
  return (h.fastify.server.address() as AddressInfo).port;
}

describe('connection caps', () => {
  it('past the per-address cap only /healthz is answered; past the global cap a connection gets server_busy', async () => {
    harness = await createHarness({ connectionLimits: { max: 5, perAddress: 2 } });
    const port = await listen(harness);
    for (let index = 0; index < 2; index += 1) expect((await request(port, '/v1/problems')).status).toBe(200);
    const refused = await request(port, '/v1/problems');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'too_many_connections' } });
    // The health check still gets through while the server has room.
    const health = await request(port, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    // The refused connection was closed: three are open. Two more fill the global cap of five.
    await refused.closed;
    for (let index = 0; index < 2; index += 1) expect((await request(port, '/healthz')).status).toBe(200);
    const busy = await request(port, '/healthz');
    expect(busy.status).toBe(503);
    expect(JSON.parse(busy.body)).toMatchObject({ error: { code: 'server_busy' } });
  });
});

describe('what the HTTP parser refuses', () => {
  it('oversized headers get 431 with our error shape and code', async () => {
    harness = await createHarness();
    const port = await listen(harness);
    const response = await request(port, '/healthz', `x-padding: ${'p'.repeat(20_000)}\r\n`);
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'headers_too_large' } });
  });
});

describe('HTTP timeouts', () => {
  it('are set: a slow or idle connection cannot hold a descriptor for ever', async () => {
    harness = await createHarness();
    const server = harness.fastify.server;
    expect(server.requestTimeout).toBeGreaterThan(0);
    expect(server.timeout).toBeGreaterThan(0);
    expect(server.keepAliveTimeout).toBeGreaterThan(0);
    expect(server.keepAliveTimeout).toBeLessThanOrEqual(server.timeout);
  });

  it('an idle connection is closed after the idle timeout', async () => {
    harness = await createHarness({ httpTimeouts: { requestMs: 30_000, idleMs: 200, keepAliveMs: 100 } });
    const port = await listen(harness);
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    // Nothing is ever sent: the server closes it.
    await new Promise((resolve) => socket.once('close', resolve));
    expect(socket.destroyed).toBe(true);
  });
});
