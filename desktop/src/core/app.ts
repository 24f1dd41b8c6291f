import type { AppInfo } from '@vmp/shared/api';
import pkg from '../../package.json' with { type: 'json' };
import { checkNotifyUrl } from '../notify/webhook.ts';
import type { AreaHandlers, CoreContext } from './context.ts';
import { SETTINGS_KEY } from './context.ts';
import { publicSettings } from './farm-setting.ts';
import { resolveAppSettings } from './settings.ts';
import { checkFarmStorageUrl } from './share.ts';

/** app.* and dialog.*: what the app is, its settings, and the native pickers. */
export function appHandlers(ctx: CoreContext): AreaHandlers<'app'> & AreaHandlers<'dialog'> {
  const { store, queue, engine, platform } = ctx;
  return {
    async 'app.info'() {
      const s = ctx.settings();
      const info: AppInfo = {
        version: pkg.version,
        platform: process.platform,
        dataDir: ctx.dataDir,
        transport: platform.transport,
        capabilities: {
          nativeDialogs: platform.nativeDialogs,
          upload: platform.transport === 'browser',
          reveal: platform.canReveal,
        },
        ffmpeg: await engine.ffmpegStatus(),
        uploadLimitBytes: s.maxClipBytes,
      };
      return info;
    },
    async 'app.getSettings'() {
      // A row saved before the password was sealed still shows it as ***; moving it is retried at the next read.
      await ctx.farm.migrate().catch((e: unknown) => ctx.warn(`Render farm setting: ${(e as Error).message}`));
      return publicSettings(ctx.settings(), ctx.farm.hasPassword());
    },
    async 'app.updateSettings'(patch) {
      await ctx.farm.migrate();
      const current = ctx.settings();
      const farmUrl =
        patch.farmUrl === undefined ? current.farmUrl : await ctx.farm.update(patch.farmUrl, current.farmUrl);
      const notifyUrl = patch.notifyUrl ? checkNotifyUrl(patch.notifyUrl) : patch.notifyUrl === '' ? null : undefined;
      const farmStorageUrl = checkFarmStorageUrl(patch.farmStorageUrl);
      const next = resolveAppSettings(
        {
          ...current,
          ...patch,
          farmUrl,
          ...(notifyUrl === undefined ? {} : { notifyUrl }),
          ...(farmStorageUrl === undefined ? {} : { farmStorageUrl }),
        },
        ctx.defaults,
      );
      store.settings.set(SETTINGS_KEY, next);
      if (patch.concurrency !== undefined) queue.setConcurrency(next.concurrency);
      return publicSettings(next, ctx.farm.hasPassword());
    },
    async 'dialog.pickClips'() {
      return platform.pickClips();
    },
    async 'dialog.pickFolder'() {
      return platform.pickFolder();
    },
  };
}
