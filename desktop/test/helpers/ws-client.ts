import type { ApiEvent, ServerMessage } from '@vmp/shared/api';
import WebSocket from 'ws';
import { EventLog } from './events.ts';

/** A real `ws` client speaking the host's protocol: calls with ids, results paired, events recorded. */
export class SocketClient {
  readonly events = new EventLog();
  private nextId = 1;
  private readonly pending = new Map<number, (msg: Extract<ServerMessage, { type: 'result' }>) => void>();
  readonly raw: Extract<ServerMessage, { type: 'result' }>[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ServerMessage;
      if (msg.type === 'event') this.events.push(msg.event as ApiEvent);
      else {
        this.raw.push(msg);
        this.pending.get(msg.id)?.(msg);
        this.pending.delete(msg.id);
      }
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<SocketClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new SocketClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.send(text);
  }

  call(method: string, input: unknown): Promise<Extract<ServerMessage, { type: 'result' }>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ type: 'call', id, method, input }));
    });
  }

  /** Calls and returns the output, throwing the wire error otherwise. */
  async ok<T = unknown>(method: string, input: unknown): Promise<T> {
    const result = await this.call(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.output as T;
  }

  close(): void {
    this.socket.close();
  }
}
