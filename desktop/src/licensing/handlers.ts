import type { ApiHandlers } from '@vmp/shared/api';
import type { ProjectSync } from './project-sync.ts';
import type { Licensing } from './service.ts';

export type LicensingHandlers = Pick<
  ApiHandlers,
  | 'license.status'
  | 'license.activate'
  | 'license.deactivate'
  | 'license.setServer'
  | 'credits.status'
  | 'credits.refresh'
  | 'credits.checkoutUrl'
  | 'sync.status'
  | 'sync.now'
  | 'sync.resolve'
>;

/**
 * The license.*, credits.* and sync.* methods of the app API. Status methods answer from what is stored (the
 * licensing state opens in a few milliseconds at start; they wait only for that, never for the server).
 */
export function licensingHandlers(ready: Promise<{ licensing: Licensing; sync: ProjectSync }>): LicensingHandlers {
  return {
    async 'license.status'() {
      return (await ready).licensing.status();
    },
    async 'license.activate'({ licenseKey }) {
      return (await ready).licensing.activate(licenseKey);
    },
    async 'license.deactivate'() {
      return (await ready).licensing.deactivate();
    },
    async 'license.setServer'({ serverUrl }) {
      return (await ready).licensing.setServer(serverUrl);
    },
    async 'credits.status'() {
      return (await ready).licensing.credits();
    },
    async 'credits.refresh'() {
      const { licensing } = await ready;
      await licensing.flush();
      return licensing.refreshCredits();
    },
    async 'credits.checkoutUrl'({ pack }) {
      return { url: await (await ready).licensing.checkoutUrl(pack) };
    },
    async 'sync.status'() {
      return (await ready).sync.status();
    },
    async 'sync.now'() {
      return (await ready).sync.syncNow();
    },
    async 'sync.resolve'({ projectId, keep }) {
      return (await ready).sync.resolve(projectId, keep);
    },
  };
}
