import { ProjectDocument, ProjectListResponse, ProjectMeta, VersionConflictError } from '@vmp/shared/http';
import type { LicensingClient } from './client.ts';

export { VersionConflictError };

export interface PulledChange {
  meta: ProjectMeta;
  /** Absent for tombstones. */
  doc?: Record<string, unknown>;
}

/**
 * Project sync over signed machine requests. Push sends If-Match with the version the local copy is
 * based on; a stale base raises VersionConflictError (details.currentVersion) for the app to resolve.
 */
export class ProjectSyncClient {
  constructor(private readonly client: LicensingClient) {}

  /** Changes since `cursor` (all pages), with documents fetched for the live ones. */
  async pull(cursor?: string): Promise<{ changes: PulledChange[]; cursor: string }> {
    const changes: PulledChange[] = [];
    let since = cursor;
    for (;;) {
      const path = `/v1/projects${since ? `?since=${encodeURIComponent(since)}` : ''}`;
      const page = await this.client.machineRequest({ method: 'GET', path }, ProjectListResponse);
      for (const meta of page.projects) {
        if (meta.deleted) {
          changes.push({ meta });
          continue;
        }
        const doc = await this.get(meta.id);
        if (doc) changes.push({ meta: doc.meta, doc: doc.doc });
      }
      since = page.cursor;
      if (!page.hasMore) return { changes, cursor: page.cursor };
    }
  }

  async get(id: string): Promise<{ meta: ProjectMeta; doc: Record<string, unknown> } | undefined> {
    try {
      const res = await this.client.machineRequest(
        { method: 'GET', path: `/v1/projects/${encodeURIComponent(id)}` },
        ProjectDocument,
      );
      const { doc, ...meta } = res;
      return { meta, doc: doc as Record<string, unknown> };
    } catch (error) {
      if ((error as { code?: string }).code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** Creates (baseVersion undefined) or updates the document; returns its new version. */
  async push(id: string, doc: Record<string, unknown>, baseVersion?: number): Promise<ProjectMeta> {
    return this.client.machineRequest(
      {
        method: 'PUT',
        path: `/v1/projects/${encodeURIComponent(id)}`,
        body: { doc },
        headers: baseVersion === undefined ? {} : { 'if-match': `"${baseVersion}"` },
      },
      ProjectMeta,
    );
  }

  async remove(id: string, baseVersion?: number): Promise<ProjectMeta> {
    return this.client.machineRequest(
      {
        method: 'DELETE',
        path: `/v1/projects/${encodeURIComponent(id)}`,
        headers: baseVersion === undefined ? {} : { 'if-match': `"${baseVersion}"` },
      },
      ProjectMeta,
    );
  }
}
