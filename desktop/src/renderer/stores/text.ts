import type { CaptionCue } from '@vmp/shared/media';
import { create } from 'zustand';
import { api } from '../api/client.ts';
import { applyClip } from './reducers.ts';
import { attempt, toast } from './toasts.ts';
import { useWorkspace } from './workspace.ts';

/** Text on video: a group's headlines and the cue editor of one clip's captions. */
interface TextState {
  /** The clip whose captions the cue editor shows; null: closed. */
  captionsClipId: string | null;
  openCaptions(clipId: string): void;
  closeCaptions(): void;
  setHeadlines(groupId: string, headlines: string[]): Promise<boolean>;
  setCaptions(clipId: string, cues: CaptionCue[]): Promise<boolean>;
  /** Electron: the file's path; browser: its text. */
  importCaptions(clipId: string, file: File): Promise<boolean>;
}

export const useText = create<TextState>((set) => ({
  captionsClipId: null,
  openCaptions: (clipId) => set({ captionsClipId: clipId }),
  closeCaptions: () => set({ captionsClipId: null }),
  async setHeadlines(groupId, headlines) {
    const group = await attempt(() => api().call('groups.setHeadlines', { groupId, headlines }));
    if (!group) return false;
    useWorkspace.setState((s) =>
      s.detail ? { detail: { ...s.detail, groups: s.detail.groups.map((g) => (g.id === group.id ? group : g)) } } : s,
    );
    return true;
  },
  async setCaptions(clipId, cues) {
    const clip = await attempt(() => api().call('clips.setCaptions', { clipId, cues }));
    if (!clip) return false;
    useWorkspace.setState((s) => ({ detail: applyClip(s.detail, clip) }));
    return true;
  },
  async importCaptions(clipId, file) {
    if (!/\.(srt|vtt)$/i.test(file.name)) {
      toast.warning(`${file.name} is not a subtitle file: choose an .srt or .vtt file.`);
      return false;
    }
    const client = api();
    const path = client.pathForFile?.(file);
    const imported = await attempt(async () =>
      path
        ? client.call('clips.importCaptions', { clipId, path })
        : client.call('clips.importCaptions', { clipId, file: { name: file.name, content: await file.text() } }),
    );
    if (!imported) return false;
    const { clip, warnings } = imported;
    useWorkspace.setState((s) => ({ detail: applyClip(s.detail, clip) }));
    toast.success(`Imported ${clip.captions?.length ?? 0} caption cue${clip.captions?.length === 1 ? '' : 's'}.`);
    for (const warning of warnings) toast.warning(`Captions: ${warning}`);
    return true;
  },
}));
