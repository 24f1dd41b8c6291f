import { parseArgs } from 'node:util';

const USAGE = `Usage: npm run server:admin -- [--server URL] [--token T] [--json] <command> [options]

Commands:
  create-license --email E --type TRIAL|PRO|ENTERPRISE --max-activations N [--expires DATE]
  grant-credits  --email E --amount N --reason R [--idempotency-key K]   (remove credits: --amount=-N)
  suspend-license KEY
  revoke-license KEY
  reinstate-license KEY

The server must be running; the token defaults to $VMP_ADMIN_TOKEN, the server to $VMP_SERVER_URL or http://127.0.0.1:8787.`;

class UsageError extends Error {}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required.`);
  return value;
}

function toIsoDate(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--expires: "${value}" is not a date (try 2027-01-31).`);
  return date.toISOString();
}

function positiveInt(value: string, flag: string, allowNegative = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || (!allowNegative && n <= 0)) throw new UsageError(`${flag} must be a whole number.`);
  return n;
}

export function buildRequest(argv: string[]): {
  method: string;
  path: string;
  body?: unknown;
  json: boolean;
  server: string;
  token?: string;
} {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
      email: { type: 'string' },
      type: { type: 'string' },
      'max-activations': { type: 'string' },
      expires: { type: 'string' },
      amount: { type: 'string' },
      reason: { type: 'string' },
      'idempotency-key': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  const common = {
    json: values.json ?? false,
    server: (values.server ?? process.env.VMP_SERVER_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, ''),
    token: values.token ?? process.env.VMP_ADMIN_TOKEN,
  };
  switch (command) {
    case 'create-license':
      return {
        ...common,
        method: 'POST',
        path: '/v1/admin/licenses',
        body: {
          email: need(values.email, '--email'),
          type: need(values.type, '--type').toUpperCase(),
          maxActivations: positiveInt(need(values['max-activations'], '--max-activations'), '--max-activations'),
          ...(values.expires ? { expiresAt: toIsoDate(values.expires) } : {}),
        },
      };
    case 'grant-credits':
      return {
        ...common,
        method: 'POST',
        path: '/v1/admin/credits/grants',
        body: {
          email: need(values.email, '--email'),
          amount: positiveInt(need(values.amount, '--amount'), '--amount', true),
          reason: need(values.reason, '--reason'),
          ...(values['idempotency-key'] ? { idempotencyKey: values['idempotency-key'] } : {}),
        },
      };
    case 'suspend-license':
    case 'revoke-license':
    case 'reinstate-license': {
      const action = command.split('-')[0];
      return {
        ...common,
        method: 'POST',
        path: `/v1/admin/licenses/${encodeURIComponent(need(arg, 'KEY'))}/${action}`,
      };
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
}

function describe(result: Record<string, unknown>): string {
  if ('licenseKey' in result) {
    return `License ${result.licenseKey} (${result.type}, ${result.status}, ${result.maxActivations} seat(s)) for ${result.email}\nlicenseId: ${result.licenseId}`;
  }
  if ('balance' in result)
    return `Granted ${result.amount} credit(s) to ${result.email}; balance now ${result.balance}.`;
  return JSON.stringify(result, null, 2);
}

async function main(argv: string[]): Promise<number> {
  let request: ReturnType<typeof buildRequest>;
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      console.log(USAGE);
      return 0;
    }
    request = buildRequest(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!request.token) {
    console.error('No admin token: set VMP_ADMIN_TOKEN (the same value the server runs with) or pass --token.');
    return 2;
  }
  let response: Response;
  try {
    response = await fetch(request.server + request.path, {
      method: request.method,
      headers: {
        authorization: `Bearer ${request.token}`,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch (error) {
    const message = `Cannot reach the server at ${request.server}: ${(error as Error).message}. Is it running (npm run server)?`;
    if (request.json) console.log(JSON.stringify({ error: { code: 'UNREACHABLE', message } }));
    else console.error(message);
    return 1;
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (request.json) console.log(JSON.stringify(body));
  if (!response.ok) {
    const error = (body.error ?? {}) as { code?: string; message?: string };
    if (!request.json) console.error(`${error.code ?? response.status}: ${error.message ?? 'request failed'}`);
    return 1;
  }
  if (!request.json) console.log(describe(body));
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}

export { main };
