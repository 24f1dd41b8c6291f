import { describe, expect, it } from 'vitest';
import { farmConnection, redactUrl } from './connection.ts';

describe('farm URL', () => {
  it('reads host, port, credentials and database; TLS for rediss://', () => {
    const plain = farmConnection('redis://farm.local:6380/2');
    expect(plain).toMatchObject({ host: 'farm.local', port: 6380, db: 2, maxRetriesPerRequest: null });
    expect(plain.tls).toBeUndefined();
    const secure = farmConnection('rediss://render:p%40ss@farm.example.com');
    expect(secure).toMatchObject({ host: 'farm.example.com', port: 6379, username: 'render', password: 'p@ss' });
    expect(secure.tls).toMatchObject({ servername: 'farm.example.com' });
    expect(farmConnection('redis://:secret@127.0.0.1:6379')).toMatchObject({ password: 'secret' });
  });

  it('refuses other schemes and bad databases without echoing the password', () => {
    expect(() => farmConnection('http://x:6379')).toThrow(/must start with redis:\/\/ or rediss:\/\//);
    expect(() => farmConnection('redis://u:hunter2@x/abc')).toThrow(/database number/);
    expect(() => farmConnection('redis://u:hunter2@x/abc')).not.toThrow(/hunter2/);
    expect(() => farmConnection('not a url')).toThrow(/--farm must be a Redis URL/);
    expect(redactUrl('rediss://u:hunter2@x:6380')).toBe('rediss://u:***@x:6380');
  });
});
