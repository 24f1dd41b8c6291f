import { create } from 'zustand';

export type WorkspaceTab = 'mix' | 'preview' | 'renders' | 'results';

export interface DragClip {
  clipId: string;
  fromGroupId: string | null;
}

interface UiState {
  tab: WorkspaceTab;
  /** Clip being dragged; dataTransfer cannot be read during dragover, so the board reads this. */
  drag: DragClip | null;
  /** Where the dragged clip would land, for the drop indicator. */
  dropTarget: { groupId: string; index: number } | null;
  playing: string | null;
  setTab(tab: WorkspaceTab): void;
  setDrag(drag: DragClip | null): void;
  setDropTarget(target: { groupId: string; index: number } | null): void;
  play(outputId: string | null): void;
}

export const useUi = create<UiState>((set, get) => ({
  tab: 'mix',
  drag: null,
  dropTarget: null,
  playing: null,
  setTab: (tab) => set({ tab }),
  setDrag: (drag) => set({ drag, dropTarget: drag ? get().dropTarget : null }),
  setDropTarget(target) {
    const cur = get().dropTarget;
    if (cur?.groupId === target?.groupId && cur?.index === target?.index) return;
    set({ dropTarget: target });
  },
  play: (playing) => set({ playing }),
}));
