// The compose file and Kubernetes manifests agree with the server: every variable they set is one the server
// reads, every Secret reference names a key of the example Secret, probes hit routes that exist.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const here = fileURLToPath(new URL('.', import.meta.url));
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const configSource = read('../server/src/config.ts');
/** Names the server reads from its environment (config.ts: env.NAME and int(env, 'NAME', …)). */
const serverVariables = new Set([
  ...[...configSource.matchAll(/env\.([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]),
  ...[...configSource.matchAll(/int\(env, '([A-Z_][A-Z0-9_]*)'/g)].map((m) => m[1]),
]);
for (const m of read('../server/src/main.ts').matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)) serverVariables.add(m[1]);
const routes = read('../server/src/ops-routes.ts');

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, checked field by field below
type Doc = Record<string, any>;
const k8s: Doc[] = readdirSync(`${here}k8s`)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(read(`k8s/${f}`)).map((d) => ({ ...(d.toJS() as Doc), file: f })));
const byKind = (kind: string) => k8s.filter((d) => d.kind === kind);

describe('deploy/compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as Doc;
  const services = compose.services as Record<string, Doc>;

  it('runs two servers after the one-off migration, on PostgreSQL 16 with a volume and Redis 7, all health-checked', () => {
    const servers = Object.entries(services).filter(([name]) => name.startsWith('server-'));
    expect(servers).toHaveLength(2);
    for (const [, server] of servers) {
      expect(server.depends_on.migrate.condition).toBe('service_completed_successfully');
      expect(server.depends_on.postgres.condition).toBe('service_healthy');
      expect(server.depends_on.redis.condition).toBe('service_healthy');
      expect(server.healthcheck.test.join(' ')).toContain('/ready');
      for (const name of Object.keys(server.environment)) expect(serverVariables, name).toContain(name);
    }
    expect(services.migrate!.command).toEqual(['--migrate-only']);
    expect(services.postgres!.image).toMatch(/postgres:16/);
    expect(services.postgres!.volumes[0]).toMatch(/^pgdata:/);
    expect(services.redis!.image).toMatch(/redis:7/);
    expect(services.postgres!.healthcheck).toBeDefined();
    expect(services.redis!.healthcheck).toBeDefined();
  });
});

describe('deploy/k8s', () => {
  const secret = parse(read('k8s/secret.example.yaml')) as Doc;
  const [deployment] = byKind('Deployment');
  const container = deployment!.spec.template.spec.containers[0] as Doc;

  it('probes /ready for readiness and /health for liveness, with resources set', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(routes).toContain("app.get('/ready'");
    expect(routes).toContain("app.get('/health'");
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
  });

  it('sets only variables the server reads, and every Secret reference names a key of the example Secret', () => {
    const [configMap] = byKind('ConfigMap');
    for (const name of Object.keys(configMap!.data)) expect(serverVariables, name).toContain(name);
    const [job] = byKind('Job');
    const containers = [container, job!.spec.template.spec.containers[0] as Doc];
    for (const c of containers) {
      for (const env of c.env as Doc[]) {
        expect(serverVariables, env.name).toContain(env.name);
        const ref = env.valueFrom?.secretKeyRef;
        if (ref) {
          expect(ref.name).toBe(secret.metadata.name);
          expect(Object.keys(secret.stringData)).toContain(ref.key);
        }
      }
    }
    expect(job!.spec.template.spec.containers[0].args).toEqual(['--migrate-only']);
  });

  it('selects the Deployment pods from the Service, PodDisruptionBudget and autoscaler', () => {
    const labels = deployment!.spec.template.metadata.labels as Record<string, string>;
    const [service] = byKind('Service');
    const [pdb] = byKind('PodDisruptionBudget');
    const [hpa] = byKind('HorizontalPodAutoscaler');
    for (const [k, v] of Object.entries(service!.spec.selector as Record<string, string>)) expect(labels[k]).toBe(v);
    for (const [k, v] of Object.entries(pdb!.spec.selector.matchLabels as Record<string, string>)) {
      expect(labels[k]).toBe(v);
    }
    expect(hpa!.spec.scaleTargetRef.name).toBe(deployment!.metadata.name);
    expect(hpa!.spec.minReplicas).toBeGreaterThanOrEqual(pdb!.spec.minAvailable + 1);
  });
});
