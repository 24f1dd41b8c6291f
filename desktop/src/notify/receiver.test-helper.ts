import { createServer, type Server } from 'node:http';

export interface Received {
  at: number;
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** A local HTTP receiver that answers the n-th request with statuses[n] (the last one repeats). */
export async function startReceiver(
  statuses: number[],
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      received.push({
        at: Date.now(),
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hooks/secret-token`, received, server };
}
