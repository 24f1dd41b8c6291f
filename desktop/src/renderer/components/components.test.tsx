// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useDialog } from '../stores/dialog.ts';
import { toast, useToasts } from '../stores/toasts.ts';
import { DialogHost } from './Dialogs.tsx';
import { CommitField } from './fields.tsx';
import { Toasts } from './Toasts.tsx';

afterEach(() => {
  cleanup();
  useToasts.setState({ toasts: [] });
  useDialog.setState({ open: null });
});

describe('CommitField', () => {
  it('commits on Enter and blur, not on every keystroke', () => {
    const commits: string[] = [];
    render(<CommitField label="Seed" value="1" onCommit={(v) => commits.push(v)} />);
    const input = screen.getByLabelText('Seed');
    fireEvent.change(input, { target: { value: '12' } });
    expect(commits).toEqual([]);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(commits).toEqual(['12']);
    fireEvent.change(input, { target: { value: '13' } });
    fireEvent.blur(input);
    expect(commits).toEqual(['12', '13']);
  });

  it('shows the validation message and does not commit invalid input; Esc reverts', () => {
    const commits: string[] = [];
    const validate = (v: string) => (/^\d+$/.test(v) ? null : 'Seed must be a whole number.');
    render(<CommitField label="Seed" value="1" validate={validate} onCommit={(v) => commits.push(v)} />);
    const input = screen.getByLabelText('Seed') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'x' } });
    expect(screen.getByText('Seed must be a whole number.')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(commits).toEqual([]);
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(input.value).toBe('1');
  });
});

describe('Toasts', () => {
  it('shows error text from thrown errors as an alert, and dismisses', () => {
    render(<Toasts />);
    act(() => {
      toast.error(new Error('clip.mp4 is not a video file'));
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('clip.mp4 is not a video file');
    fireEvent.click(screen.getByLabelText('Dismiss notification'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('DialogHost', () => {
  it('resolves a confirmation with the button pressed', async () => {
    render(<DialogHost />);
    let answer: Promise<boolean> = Promise.resolve(false);
    act(() => {
      answer = useDialog.getState().confirm({
        title: 'Delete “Spring”?',
        message: 'Files stay on disk.',
        confirmLabel: 'Delete project',
        danger: true,
      });
    });
    expect(screen.getByText('Files stay on disk.')).toBeTruthy();
    fireEvent.click(screen.getByText('Delete project'));
    await expect(answer).resolves.toBe(true);
    expect(useDialog.getState().open).toBeNull();
  });

  it('returns the trimmed prompt value, and null on cancel', async () => {
    render(<DialogHost />);
    let answer: Promise<string | null> = Promise.resolve(null);
    act(() => {
      answer = useDialog
        .getState()
        .prompt({ title: 'New project', label: 'Project name', initial: '', confirmLabel: 'Create' });
    });
    const create = screen.getByText('Create') as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Project name'), { target: { value: '  Spring sale  ' } });
    fireEvent.click(create);
    await expect(answer).resolves.toBe('Spring sale');
    act(() => {
      answer = useDialog.getState().prompt({ title: 'Rename', label: 'Name', initial: 'x', confirmLabel: 'Rename' });
    });
    fireEvent.click(screen.getByText('Cancel'));
    await expect(answer).resolves.toBeNull();
  });
});
