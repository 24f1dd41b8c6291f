import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UndoEntry } from '../lib/undo.ts';
import { useToasts } from './toasts.ts';
import { useUndo } from './undo.ts';

// Calls a failed assertion left in flight are settled after each test, so the next test's presses are not stuck behind them.
const inFlight: (() => void)[] = [];

/** A host call that stays in flight until the test settles it, like a slow IPC round trip. */
function slowCall() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  inFlight.push(resolve);
  return { promise, resolve, reject };
}

/** An entry that logs each run and answers with the next call from `calls` (or at once when none is left). */
function entry(label: string, log: string[], calls: ReturnType<typeof slowCall>[] = []): UndoEntry {
  const run = (verb: string) => () => {
    log.push(`${verb} ${label}`);
    return calls.shift()?.promise;
  };
  return { label, undo: run('undo'), redo: run('redo') };
}

const labels = (entries: UndoEntry[]) => entries.map((e) => e.label);

beforeEach(() => {
  useUndo.getState().clear();
  useToasts.setState({ toasts: [] });
});

afterEach(async () => {
  for (const settle of inFlight.splice(0)) settle();
  await new Promise((resolve) => setTimeout(resolve, 0));
});

describe('undo store', () => {
  it('queues a redo pressed while the undo is still in flight and runs it after', async () => {
    const log: string[] = [];
    const call = slowCall();
    useUndo.getState().record(entry('move a', log, [call]));

    const undone = useUndo.getState().undo();
    const redone = useUndo.getState().redo();
    expect(log).toEqual(['undo move a']);
    expect(useUndo.getState().busy).toBe(true);

    call.resolve();
    await Promise.all([undone, redone]);
    expect(log).toEqual(['undo move a', 'redo move a']);
    expect(labels(useUndo.getState().past)).toEqual(['move a']);
    expect(useUndo.getState().future).toEqual([]);
    expect(useUndo.getState().busy).toBe(false);
  });

  it('runs a burst of presses in order, each on the entry its turn finds', async () => {
    const log: string[] = [];
    const first = slowCall();
    useUndo.getState().record(entry('a', log));
    useUndo.getState().record(entry('b', log, [first]));

    const presses = [useUndo.getState().undo(), useUndo.getState().undo(), useUndo.getState().redo()];
    first.resolve();
    await Promise.all(presses);
    expect(log).toEqual(['undo b', 'undo a', 'redo a']);
    expect(labels(useUndo.getState().past)).toEqual(['a']);
    expect(labels(useUndo.getState().future)).toEqual(['b']);
  });

  it('on a failed call drops that entry, shows the error and skips the presses queued behind it', async () => {
    const log: string[] = [];
    const call = slowCall();
    useUndo.getState().record(entry('a', log));
    useUndo.getState().record(entry('b', log, [call]));
    useUndo.getState().record(entry('c', log));

    // Undo c at once, then b fails while a redo waits: that redo was meant for b, so it must not redo c.
    await useUndo.getState().undo();
    const failed = useUndo.getState().undo();
    const queued = useUndo.getState().redo();
    call.reject(new Error('groups.moveClip: clip 7 is no longer in this project'));
    await Promise.all([failed, queued]);

    expect(log).toEqual(['undo c', 'undo b']);
    expect(labels(useUndo.getState().past)).toEqual(['a']);
    expect(labels(useUndo.getState().future)).toEqual(['c']);
    expect(useUndo.getState().busy).toBe(false);
    expect(useToasts.getState().toasts.at(-1)).toMatchObject({
      kind: 'error',
      message: 'groups.moveClip: clip 7 is no longer in this project',
    });

    // The stack still works after the failure.
    await useUndo.getState().undo();
    expect(log.at(-1)).toBe('undo a');
  });

  it('skips presses queued before the stack was cleared (another project opened)', async () => {
    const log: string[] = [];
    const call = slowCall();
    useUndo.getState().record(entry('a', log));
    useUndo.getState().record(entry('b', log, [call]));

    const running = useUndo.getState().undo();
    const queued = useUndo.getState().undo();
    useUndo.getState().clear();
    useUndo.getState().record(entry('other project', log));
    call.resolve();
    await Promise.all([running, queued]);
    expect(log).toEqual(['undo b']);
    expect(labels(useUndo.getState().past)).toEqual(['other project']);
  });
});
