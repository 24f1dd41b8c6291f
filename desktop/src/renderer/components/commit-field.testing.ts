import { act, fireEvent, waitFor } from '@testing-library/react';
import { expect } from 'vitest';

/**
 * Types `value` into a CommitField and leaves it: two steps, so the field has re-rendered with the draft before the
 * blur commits it. Waits generously (a loaded machine re-renders slowly). `input` may be a function finding the
 * field, so a field rendered anew is found again; a change that did not reach the field (seen twice in full runs
 * beside heavy tests: the field kept '' for 15 s) is sent again while waiting.
 */
export async function commitField(input: HTMLElement | (() => HTMLElement), value: string): Promise<void> {
  const field = () => (typeof input === 'function' ? input() : input) as HTMLInputElement;
  await act(async () => {
    fireEvent.change(field(), { target: { value } });
  });
  await waitFor(
    async () => {
      if (field().value !== value) {
        await act(async () => {
          fireEvent.change(field(), { target: { value } });
        });
      }
      expect(field().value).toBe(value);
    },
    { timeout: 15_000, interval: 250 },
  );
  await act(async () => {
    fireEvent.blur(field());
  });
}
