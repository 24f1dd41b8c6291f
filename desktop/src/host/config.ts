import { AppError } from '@vmp/shared/errors';

export class HostConfigError extends AppError {
  constructor(message: string) {
    super('HOST_CONFIG', message, { status: 400 });
  }
}

export const DEFAULT_PORT = 5170;
export const DEFAULT_BIND = '127.0.0.1';

/** 127.0.0.0/8, ::1 and "localhost": only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** A non-loopback bind exposes the app to the network: it needs a token, or the host refuses to start. */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new HostConfigError(
      `Refusing to listen on ${host} without a token: anyone who can reach this machine could use the app and read ` +
        'your files. Pass --token <secret> (or set VMP_TOKEN), or bind to 127.0.0.1.',
    );
  }
  if (token !== undefined && token.length < 8) {
    throw new HostConfigError('The token must be at least 8 characters long.');
  }
}

export interface ServeArgs {
  port: number;
  host: string;
  dataDir?: string;
  token?: string;
  rendererDir?: string;
}

/** Parses `vmp serve` arguments (flags win over VMP_DATA_DIR / VMP_TOKEN / VMP_PORT). */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeArgs {
  const args: ServeArgs = {
    port: env.VMP_PORT ? Number(env.VMP_PORT) : DEFAULT_PORT,
    host: env.VMP_BIND || DEFAULT_BIND,
    ...(env.VMP_DATA_DIR ? { dataDir: env.VMP_DATA_DIR } : {}),
    ...(env.VMP_TOKEN ? { token: env.VMP_TOKEN } : {}),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new HostConfigError(`${name} needs a value.`);
      return v;
    };
    switch (name) {
      case '--port':
      case '-p': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new HostConfigError('--port must be a whole number from 0 to 65535.');
        }
        args.port = port;
        break;
      }
      case '--host':
        args.host = value();
        break;
      case '--data-dir':
        args.dataDir = value();
        break;
      case '--token':
        args.token = value();
        break;
      case '--renderer-dir':
        args.rendererDir = value();
        break;
      default:
        throw new HostConfigError(
          `Unknown option ${flag}. Usage: vmp serve [--port 5170] [--host 127.0.0.1] [--data-dir DIR] [--token T]`,
        );
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new HostConfigError('VMP_PORT must be a whole number from 0 to 65535.');
  }
  checkBind(args.host, args.token);
  return args;
}
