import { basename } from 'node:path';
import type { ObjectStorage } from '../../storage/types.ts';
import type { FarmOutputResult } from '../run-tracker.ts';
import { outputKey } from './keys.ts';

/**
 * The submitter's side of a bucket run's outputs: each one, as the farm reports it done, downloaded to its planned
 * path in --out (`.part`, size checked against the bucket's, then renamed: storage getToFile), two at a time,
 * before it counts as done; or, with keepRemote, left in the bucket and its s3:// URL logged.
 */
export class RemoteOutputs {
  private readonly queue: (() => Promise<void>)[] = [];
  private running = 0;
  private idle: (() => void)[] = [];
  readonly failed = new Map<number, Error>();
  readonly urls = new Map<string, string>();

  constructor(
    private readonly storage: ObjectStorage,
    private readonly runId: string,
    private readonly options: {
      keepRemote: boolean;
      log: (line: string) => void;
      onDone: (result: FarmOutputResult) => void;
      onFailed: (index: number, error: Error) => void;
    },
  ) {}

  /** The output's place in the bucket (s3://bucket/prefix/runs/{run}/outputs/{file}). */
  urlOf(path: string): string {
    return `${this.storage.url}/${outputKey(this.runId, basename(path))}`;
  }

  arrived(result: FarmOutputResult): void {
    const url = this.urlOf(result.path);
    this.urls.set(result.path, url);
    if (this.options.keepRemote) {
      this.options.log(`Kept in the bucket: ${url}`);
      this.options.onDone(result);
      return;
    }
    this.queue.push(async () => {
      try {
        await this.storage.getToFile(outputKey(this.runId, basename(result.path)), result.path);
        this.options.onDone(result);
      } catch (error) {
        this.failed.set(result.index, error as Error);
        this.options.onFailed(result.index, error as Error);
      }
    });
    this.pump();
  }

  private pump(): void {
    while (this.running < 2 && this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.running++;
      void task().finally(() => {
        this.running--;
        this.pump();
      });
    }
    if (this.running === 0 && this.queue.length === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves once every output reported so far is downloaded (or failed). */
  settled(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
