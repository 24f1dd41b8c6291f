import { join } from 'node:path';
import type { ApiHandlers, AppSettings } from '@vmp/shared/api';
import type { RenderQueue } from '../queue/queue.ts';
import { resultHandlers } from '../results/app.ts';
import type { Store } from '../store/store.ts';
import { appHandlers } from './app.ts';
import { resumeInterruptedAnalyses } from './clip-analysis.ts';
import { clipHandlers } from './clips.ts';
import { type CoreOptions, createContext } from './context.ts';
import type { EventHub } from './events.ts';
import { groupHandlers } from './groups.ts';
import { jobHandlers } from './jobs.ts';
import { licensingModule } from './licensing.ts';
import { mediaFiles, outputHandlers } from './outputs.ts';
import type { Platform } from './platform.ts';
import { projectHandlers } from './projects.ts';
import { shareHandlers } from './share.ts';

export type { CoreOptions, CreditsPort } from './context.ts';
export { DEFAULT_GROUPS } from './projects.ts';

export interface Core extends ApiHandlers {
  readonly dataDir: string;
  readonly store: Store;
  readonly queue: RenderQueue;
  readonly platform: Platform;
  subscribe: EventHub['subscribe'];
  emit: EventHub['emit'];
  /** Folder where browser uploads of a project are stored. */
  mediaDir(projectId: string): string;
  thumbnailFile(clipId: string): string | null;
  /** A still of a completed output, made on first request and cached. */
  outputThumbnailFile(outputId: string): Promise<string | null>;
  outputFile(outputId: string): string | null;
  settings(): AppSettings;
  /** Graceful shutdown: running renders stopped and re-queued, database closed. */
  close(): Promise<void>;
}

/** The app API as one object: each API area's handlers over one shared context (store, queue, engine, ...). */
export function createCore(options: CoreOptions): Core {
  const licensing = licensingModule(options.dataDir, options.licensing);
  const ctx = createContext({ ...options, credits: options.credits ?? licensing.port });
  const handlers: ApiHandlers = {
    ...appHandlers(ctx),
    ...projectHandlers(ctx),
    ...clipHandlers(ctx),
    ...groupHandlers(ctx),
    ...jobHandlers(ctx),
    ...outputHandlers(ctx),
    ...resultHandlers(ctx),
    ...shareHandlers(ctx),
    ...licensing.handlers,
  };
  licensing.attach(ctx);
  ctx.queue.start();
  resumeInterruptedAnalyses(ctx);
  return {
    ...handlers,
    ...mediaFiles(ctx),
    dataDir: ctx.dataDir,
    store: ctx.store,
    queue: ctx.queue,
    platform: ctx.platform,
    subscribe: (listener) => ctx.hub.subscribe(listener),
    emit: ctx.hub.emit,
    settings: ctx.settings,
    mediaDir: (projectId) => join(ctx.dataDir, 'media', projectId),
    async close() {
      await ctx.close();
      await licensing.close();
    },
  };
}
