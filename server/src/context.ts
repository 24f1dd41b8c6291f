import type { ServerConfig } from './config.ts';
import type { Database, Db } from './db/index.ts';
import type { licenses } from './db/schema.ts';
import type { ServerKeys } from './keys.ts';
import type { LeaseReuse } from './licenses/lease-reuse.ts';
import type { Metrics } from './metrics.ts';

/** What every feature needs, decorated on the Fastify instance as `app.ctx`. */
export interface AppContext {
  config: ServerConfig;
  database: Database;
  db: Db;
  keys: ServerKeys;
  metrics: Metrics;
  /** Heartbeats hand back the machine's current lease while nothing it asserts changed. */
  leases: LeaseReuse;
}

/** The machine a signed request comes from, as read with the request's nonce. */
export interface MachineIdentity {
  activationId: string;
  machineId: string;
  appVersion: string;
  /** The machine secret its request was signed with (derives the farm job key the lease vouches for). */
  secret?: string;
  license: Pick<typeof licenses.$inferSelect, 'id' | 'userId' | 'type' | 'status' | 'expiresAt'>;
  /** The license's seats, read by the guard's one statement (validate reports them). */
  seats: { used: number; max: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    /** Exact body bytes, kept for signature checks. */
    rawBody?: Buffer;
    /** Set by the user or machine guard. */
    userId?: string;
    machine?: MachineIdentity;
  }
}
