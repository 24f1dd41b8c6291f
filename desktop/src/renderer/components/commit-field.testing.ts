import { act, fireEvent, waitFor } from '@testing-library/react';
import { expect } from 'vitest';

/**
 * Types `value` into a CommitField and leaves it: two steps, so the field has re-rendered with the draft before the
 * blur commits it. Waits generously (a loaded machine re-renders slowly).
 */
export async function commitField(input: HTMLElement, value: string): Promise<void> {
  await act(async () => {
    fireEvent.change(input, { target: { value } });
  });
  await waitFor(() => expect((input as HTMLInputElement).value).toBe(value), { timeout: 15_000 });
  await act(async () => {
    fireEvent.blur(input);
  });
}
