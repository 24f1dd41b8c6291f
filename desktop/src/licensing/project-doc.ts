import { createHash } from 'node:crypto';
import type { SyncedCode, SyncedImport } from '@vmp/shared/http';

/** What a project looks like on the server: no paths, no media; clips by content hash. */
export interface ProjectDoc {
  schema: 1;
  name: string;
  mode: 'manual' | 'auto';
  settings: Record<string, unknown>;
  /** `captions`: the clip's burned-in cues, absent when it has none (so older documents hash the same). */
  clips: Array<{ hash: string; name: string; size: number; info: unknown; captions?: unknown[] }>;
  /** `headlines`: the group's headline variants, absent when it has none. */
  groups: Array<{ name: string; clips: string[]; headlines?: string[] }>;
  rules: Array<[string, string]>;
  /** Component codes (clips by hash, headlines by text, retired codes alone); absent when the project has none. */
  codes?: SyncedCode[];
  /** adNames of the ads the project rendered (on any machine), so reports match on every machine; absent: none. */
  ads?: string[];
  /** Imported ad reports with their rows, oldest first; absent when none. */
  results?: SyncedImport[];
  /** Epoch ms of the last local change; not part of the content hash. */
  modifiedAt: number;
}

/** The app's side of sync, implemented by the core over its store. */
export interface ProjectSyncPort {
  listProjectIds(): string[];
  exportDoc(projectId: string): ProjectDoc | null;
  /** Replaces the project's name, mode, settings, clips, groups and rules, or creates it (null); returns its id. */
  importDoc(projectId: string | null, doc: ProjectDoc): string;
  deleteProject(projectId: string): void;
}

/** Content hash of a document, ignoring when it was touched. */
export function docHash(doc: ProjectDoc): string {
  const { modifiedAt: _ignored, ...content } = doc;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** JSON with every object's keys sorted: the same for two documents whose fields were written in another order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Two documents with the same content (when they were touched aside), whatever order their fields are in. */
export function sameContent(a: ProjectDoc, b: ProjectDoc): boolean {
  const { modifiedAt: _a, ...x } = a;
  const { modifiedAt: _b, ...y } = b;
  return canonical(x) === canonical(y);
}
