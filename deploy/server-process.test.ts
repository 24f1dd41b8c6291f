// The server process as the container runs it: SIGTERM drains requests in flight, --migrate-only migrates and exits.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type ServerProcess, startServer } from './server-process.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const started: ServerProcess[] = [];
afterAll(() => {
  for (const s of started) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

describe('server process', () => {
  it('on SIGTERM stops taking connections, finishes the request in flight, then exits 0', async () => {
    const server = startServer(root, { DATABASE_URL: inject('testDatabaseUrl') });
    started.push(server);
    const { address: url } = JSON.parse(await server.waitFor('Video Mixer Pro server listening')) as {
      address: string;
    };
    const { hostname, port } = new URL(url);

    // A slow client: headers and half the body now, the rest after SIGTERM.
    const body = JSON.stringify({ email: `drain-${randomUUID()}@example.com`, password: 'correct horse battery' });
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const response = readAll(socket);
    socket.write(
      'POST /v1/auth/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 500));

    let exitedAt = 0;
    void server.exited.then(() => {
      exitedAt = Date.now();
    });
    server.child.kill('SIGTERM');
    await server.waitFor('shutting down');
    // New connections are refused while the request in flight is still open.
    let closedForNew = false;
    for (let i = 0; i < 20 && !closedForNew; i++) {
      closedForNew = await refused(url);
      if (!closedForNew) await new Promise((r) => setTimeout(r, 100));
    }
    expect(closedForNew).toBe(true);
    expect(server.child.exitCode).toBeNull();

    await new Promise((r) => setTimeout(r, 1000));
    expect(server.child.exitCode).toBeNull();
    // write, not end: a half-closed socket makes Node abort the request whether or not the server is stopping.
    socket.write(body.slice(10));
    const raw = await response;
    const answeredAt = Date.now();
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toHaveProperty('accessToken');
    expect(await server.exited).toBe(0);
    expect(exitedAt).toBeGreaterThanOrEqual(answeredAt - 50);
  });

  it('signs leases with VMP_LEASE_SIGNING_KEY, and refuses to start when the database holds another key', async () => {
    const admin = new pg.Client({
      connectionString: process.env.TEST_DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:5432/postgres',
    });
    await admin.connect();
    const name = `vmp_deploy_${randomBytes(6).toString('hex')}`;
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(process.env.TEST_DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:5432/postgres');
      url.pathname = `/${name}`;
      const key = JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
      const server = startServer(root, { DATABASE_URL: url.toString(), VMP_LEASE_SIGNING_KEY: key });
      started.push(server);
      const { address } = JSON.parse(await server.waitFor('Video Mixer Pro server listening')) as { address: string };
      const jwks = (await (await fetch(`${address}/.well-known/jwks.json`)).json()) as { keys: { x: string }[] };
      expect(jwks.keys[0]!.x).toBe(JSON.parse(key).x);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      const other = JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));
      const refused = startServer(root, { DATABASE_URL: url.toString(), VMP_LEASE_SIGNING_KEY: other });
      started.push(refused);
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain('VMP_LEASE_SIGNING_KEY differs from the lease signing key this database');
      expect(refused.output()).not.toContain(JSON.parse(other).d);

      const bad = startServer(root, { DATABASE_URL: url.toString(), VMP_LEASE_SIGNING_KEY: '{"kty":"RSA"}' });
      started.push(bad);
      expect(await bad.exited).toBe(1);
      expect(bad.output()).toContain('VMP_LEASE_SIGNING_KEY must be an Ed25519 private key');
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it('--migrate-only migrates an empty database and exits 0 without listening', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const name = `vmp_deploy_${randomBytes(6).toString('hex')}`;
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const run = startServer(root, { DATABASE_URL: url.toString() }, ['--migrate-only']);
      started.push(run);
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('database migrations applied');
      expect(run.output()).not.toContain('listening');
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const { rows } = await db.query(
        "select count(*)::int as n from information_schema.tables where table_name = 'users'",
      );
      await db.end();
      expect(rows[0].n).toBe(1);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
