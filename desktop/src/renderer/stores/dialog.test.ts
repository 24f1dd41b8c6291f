import { beforeEach, describe, expect, it } from 'vitest';
import { askProjectRename, useDialog } from './dialog.ts';

/** Answers the open prompt as the user would. */
function answer(value: string | null) {
  const open = useDialog.getState().open;
  if (open?.kind !== 'prompt') throw new Error('no prompt is open');
  useDialog.setState({ open: null });
  open.resolve(value);
}

beforeEach(() => useDialog.getState().close());

describe('askProjectRename', () => {
  it('prompts with the current name and gives the new one', async () => {
    const asked = askProjectRename('Launch');
    expect(useDialog.getState().open).toMatchObject({
      kind: 'prompt',
      request: { title: 'Rename project', label: 'Project name', initial: 'Launch', confirmLabel: 'Rename' },
    });
    answer('Launch v2');
    expect(await asked).toBe('Launch v2');
  });

  it('gives null when cancelled or left unchanged', async () => {
    const cancelled = askProjectRename('Launch');
    answer(null);
    expect(await cancelled).toBeNull();
    const unchanged = askProjectRename('Launch');
    answer('Launch');
    expect(await unchanged).toBeNull();
  });
});
