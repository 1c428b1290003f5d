import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorEngine } from './engine';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Serves an engine over node:http on 127.0.0.1. */
export function createHttpServer(engine: EmulatorEngine): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const out = await engine.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
        res.writeHead(out.status, { ...out.headers, 'Content-Length': Buffer.byteLength(out.body) });
        res.end(out.body);
      } catch (e) {
        const text = JSON.stringify({ error: { code: 'InternalServerError', message: String((e as Error)?.message ?? e) } });
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(text);
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
