import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

/** Plays Stripe's POST /v1/checkout/sessions on loopback, so the real SDK code path runs. */
export function fakeStripe(): Promise<{ server: Server; port: number; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => {
        data += c;
      });
      req.on('end', () => resolve(data));
    });
  const server = createServer(async (req, res) => {
    const form = new URLSearchParams(await read(req));
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, form });
    res.setHeader('content-type', 'application/json');
    if (form.get('metadata[pack]') === 'broken') {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: { type: 'api_error', message: 'Stripe is having a bad day' } }));
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
      const id = `cs_test_${requests.length}`;
      res.end(
        JSON.stringify({
          id,
          object: 'checkout.session',
          url: `https://checkout.stripe.com/c/pay/${id}`,
          client_reference_id: form.get('client_reference_id'),
          metadata: { pack: form.get('metadata[pack]') },
          payment_status: 'unpaid',
          mode: 'payment',
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'unknown' } }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, requests })),
  );
}
