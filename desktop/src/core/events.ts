import type { ApiEvent } from '@vmp/shared/api';

export type EventListener = (event: ApiEvent) => void;

/** Fan-out of app events to every adapter (IPC, WebSocket clients, tests). A throwing listener never stops others. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  readonly emit = (event: ApiEvent): void => {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken client must not break the queue that emitted the event.
      }
    }
  };
}
