import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startUpdates, type Updater, updateSource } from './updates.ts';

describe('updateSource', () => {
  it('is off unless the app is packaged and a feed is configured', () => {
    expect(
      updateSource({ isPackaged: false, env: { VMP_UPDATE_URL: 'https://u.example/' }, hasBuildConfig: true }),
    ).toMatchObject({
      kind: 'off',
    });
    expect(updateSource({ isPackaged: true, env: {}, hasBuildConfig: false })).toEqual({
      kind: 'off',
      reason: 'no update feed configured',
    });
    expect(updateSource({ isPackaged: true, env: {}, hasBuildConfig: true })).toEqual({ kind: 'build' });
    expect(updateSource({ isPackaged: true, env: { VMP_UPDATES: 'off' }, hasBuildConfig: true })).toMatchObject({
      kind: 'off',
    });
  });

  it('takes a generic https feed from VMP_UPDATE_URL and refuses anything else', () => {
    expect(
      updateSource({ isPackaged: true, env: { VMP_UPDATE_URL: 'https://u.example/vmp' }, hasBuildConfig: false }),
    ).toEqual({
      kind: 'generic',
      url: 'https://u.example/vmp',
    });
    expect(
      updateSource({ isPackaged: true, env: { VMP_UPDATE_URL: 'http://u.example/' }, hasBuildConfig: true }),
    ).toMatchObject({
      kind: 'off',
      reason: expect.stringMatching(/https/),
    });
    expect(updateSource({ isPackaged: true, env: { VMP_UPDATE_URL: 'nope' }, hasBuildConfig: true })).toMatchObject({
      kind: 'off',
    });
  });
});

class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: unknown = null;
  feeds: unknown[] = [];
  checks = 0;
  installed = 0;
  setFeedURL(options: unknown) {
    this.feeds.push(options);
  }
  async checkForUpdates() {
    this.checks++;
    return null;
  }
  quitAndInstall() {
    this.installed++;
  }
}

const log = { info() {}, warn() {}, error() {} };

describe('startUpdates', () => {
  it('does not load the updater when off', async () => {
    let loaded = false;
    const stop = await startUpdates({
      source: { kind: 'off', reason: 'x' },
      updater: async () => {
        loaded = true;
        return new FakeUpdater();
      },
      log,
      askRestart: async () => true,
    });
    expect(stop).toBeNull();
    expect(loaded).toBe(false);
  });

  it('checks, sets the generic feed, and installs a downloaded update when the user agrees (asked once)', async () => {
    const updater = new FakeUpdater();
    const asked: string[] = [];
    const stop = await startUpdates({
      source: { kind: 'generic', url: 'https://u.example/' },
      updater: async () => updater,
      log,
      askRestart: async (version) => {
        asked.push(version);
        return true;
      },
    });
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://u.example/' }]);
    expect(updater.checks).toBe(1);
    expect(updater.autoDownload).toBe(true);
    updater.emit('update-downloaded', { version: '2.0.0' });
    updater.emit('update-downloaded', { version: '2.0.0' });
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual(['2.0.0']);
    expect(updater.installed).toBe(1);
    stop?.();
  });
});
