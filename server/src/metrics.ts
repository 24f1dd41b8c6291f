import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so tests can build many apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vmp_' });
  return {
    registry,
    requests: new Counter({
      name: 'vmp_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'vmp_http_request_duration_seconds',
      help: 'HTTP request latency by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    activations: new Counter({
      name: 'vmp_activations_total',
      help: 'Machine activations (new seats taken)',
      registers: [registry],
    }),
    creditsReserved: new Counter({
      name: 'vmp_credits_reserved_total',
      help: 'Credits put on hold by reservations',
      registers: [registry],
    }),
    creditsCommitted: new Counter({
      name: 'vmp_credits_committed_total',
      help: 'Credits debited by committed reservations and offline usage',
      registers: [registry],
    }),
    usageGaps: new Counter({
      name: 'vmp_usage_gaps_total',
      help: 'Offline usage uploads with entries missing from the machine chain (charged from the chain totals)',
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
