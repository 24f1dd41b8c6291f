import { z } from 'zod';

export interface CreditPack {
  name: string;
  credits: number;
  /** Price in the currency's smallest unit (cents). */
  unitAmount: number;
  currency: string;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Server processes sharing the port (node:cluster); more than 1 needs PostgreSQL and Redis. */
  workers: number;
  /** postgres:// URL; absent → embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** Connections per pool (the nonce pool gets half, at least 2). */
  dbPoolSize: number;
  /** Admin endpoints exist only when set. */
  adminToken?: string;
  issuer: string;
  /** Public base URL of the web pages Stripe sends buyers back to. */
  publicUrl: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Offline grace of a lease. */
  leaseTtlSeconds: number;
  /**
   * A heartbeat hands back the machine's current lease while it is younger than this and nothing it asserts
   * changed; 0 signs every time. At most half the lease TTL.
   */
  leaseReuseSeconds: number;
  reservationTtlSeconds: number;
  /** Most credits a machine's lease lets it use offline; the server holds them while the lease can be used. */
  offlineAllowanceCredits: number;
  stripe: {
    secretKey?: string;
    webhookSecret?: string;
    /** Overrides of the Stripe API endpoint (tests point it at a local stand-in). */
    host?: string;
    port?: number;
    protocol?: 'http' | 'https';
  };
  packs: Record<string, CreditPack>;
  rateLimit: {
    /** Login/register/refresh attempts per IP per window. */
    authPerIp: number;
    /** Login attempts per email per window. */
    loginPerEmail: number;
    /** Activation attempts per IP per window. */
    activatePerIp: number;
    /** Admin requests (right or wrong token) per IP per window. */
    adminPerIp: number;
    windowMs: number;
  };
  /** redis:// URL: rate limits are counted there, shared by every server process. Absent: in memory. */
  redisUrl?: string;
  /** Prefix of the rate-limit keys in Redis (several deployments or tests may share one Redis). */
  redisPrefix: string;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  corsOrigins: string[];
  trustProxy: boolean;
  logLevel: string;
  bodyLimit: number;
}

export const DEFAULT_PACKS: Record<string, CreditPack> = {
  starter: { name: 'Starter: 100 credits', credits: 100, unitAmount: 900, currency: 'usd' },
};

const Pack = z.object({
  name: z.string().min(1),
  credits: z.number().int().positive().max(1_000_000_000),
  unitAmount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().length(3),
});

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}".`);
  return value;
}

/** Reads the configuration from environment variables; every value has a working default. */
export function loadConfig(env: Env = process.env): ServerConfig {
  const packs = env.VMP_CREDIT_PACKS
    ? z.record(z.string(), Pack).parse(JSON.parse(env.VMP_CREDIT_PACKS))
    : DEFAULT_PACKS;
  const stripePort = env.STRIPE_API_PORT ? int(env, 'STRIPE_API_PORT', 443) : undefined;
  const port = int(env, 'PORT', 8787);
  const leaseTtlSeconds = int(env, 'VMP_LEASE_TTL', 14 * 24 * 3600);
  // Default: a twentieth of the lease's life (16.8 h of 14 days), several of the app's 4-hourly heartbeats.
  const leaseReuseSeconds = int(env, 'VMP_LEASE_REUSE_SECONDS', Math.floor(leaseTtlSeconds / 20));
  if (leaseReuseSeconds > leaseTtlSeconds / 2) {
    throw new Error(
      `VMP_LEASE_REUSE_SECONDS (${leaseReuseSeconds}) must be at most half of VMP_LEASE_TTL (${leaseTtlSeconds}).`,
    );
  }
  const workers = int(env, 'VMP_SERVER_WORKERS', 1);
  return {
    host: env.HOST || '127.0.0.1',
    port,
    workers,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.VMP_SERVER_DATA || './server-data',
    // PostgreSQL does best with about two busy connections per core; more only add backends competing for
    // the same cores when requests queue up (on 2 shared cores: p99 about 7 ms with 4 (+2), 8-10 ms with 10 (+5)).
    dbPoolSize: int(env, 'DB_POOL_SIZE', 4),
    adminToken: env.VMP_ADMIN_TOKEN || undefined,
    issuer: env.VMP_ISSUER || 'vmp-server',
    publicUrl: env.VMP_PUBLIC_URL || `http://127.0.0.1:${port}`,
    accessTokenTtlSeconds: int(env, 'VMP_ACCESS_TOKEN_TTL', 15 * 60),
    refreshTokenTtlSeconds: int(env, 'VMP_REFRESH_TOKEN_TTL', 30 * 24 * 3600),
    leaseTtlSeconds,
    leaseReuseSeconds,
    reservationTtlSeconds: int(env, 'VMP_RESERVATION_TTL', 24 * 3600),
    offlineAllowanceCredits: int(env, 'VMP_OFFLINE_ALLOWANCE', 20),
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY || undefined,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET || undefined,
      host: env.STRIPE_API_HOST || undefined,
      port: stripePort,
      protocol: env.STRIPE_API_PROTOCOL === 'http' ? 'http' : env.STRIPE_API_PROTOCOL ? 'https' : undefined,
    },
    packs,
    rateLimit: {
      authPerIp: int(env, 'VMP_RATE_AUTH_PER_IP', 30),
      loginPerEmail: int(env, 'VMP_RATE_LOGIN_PER_EMAIL', 10),
      activatePerIp: int(env, 'VMP_RATE_ACTIVATE_PER_IP', 60),
      adminPerIp: int(env, 'VMP_RATE_ADMIN_PER_IP', 30),
      windowMs: int(env, 'VMP_RATE_WINDOW_MS', 60_000),
    },
    corsOrigins: (env.VMP_CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.VMP_REDIS_PREFIX || 'vmp-rate:',
    metricsToken: env.METRICS_TOKEN || undefined,
    trustProxy: env.VMP_TRUST_PROXY === '1',
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimit: 1024 * 1024,
  };
}
