import {
  ProjectDocument,
  ProjectListQuery,
  ProjectListResponse,
  ProjectMeta,
  ProjectParams,
  PutProjectRequest,
  ValidationError,
} from '@vmp/shared/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOrMachineGuard } from '../auth/guards.ts';
import { etag, parseIfMatch } from './if-match.ts';
import { deleteProject, getProject, listChanges, putProject } from './service.ts';

function ifMatchOf(header: string | string[] | undefined): number | undefined {
  const version = parseIfMatch(header);
  if (version === null) throw new ValidationError('If-Match must be a document version, e.g. "3".');
  return version;
}

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', userOrMachineGuard);

  app.get(
    '/projects',
    { schema: { querystring: ProjectListQuery, response: { 200: ProjectListResponse } } },
    async (req) => listChanges(ctx, req.userId!, req.query.since, req.query.limit),
  );

  app.get(
    '/projects/:id',
    { schema: { params: ProjectParams, response: { 200: ProjectDocument } } },
    async (req, reply) => {
      const project = await getProject(ctx, req.userId!, req.params.id);
      reply.header('etag', etag(project.version));
      return project;
    },
  );

  app.put(
    '/projects/:id',
    { schema: { params: ProjectParams, body: PutProjectRequest, response: { 200: ProjectMeta, 201: ProjectMeta } } },
    async (req, reply) => {
      const ifMatch = ifMatchOf(req.headers['if-match']);
      const { project, created } = await putProject(ctx, req.userId!, req.params.id, req.body.doc, ifMatch);
      reply.status(created ? 201 : 200).header('etag', etag(project.version));
      return project;
    },
  );

  app.delete(
    '/projects/:id',
    { schema: { params: ProjectParams, response: { 200: ProjectMeta } } },
    async (req, reply) => {
      const project = await deleteProject(ctx, req.userId!, req.params.id, ifMatchOf(req.headers['if-match']));
      reply.header('etag', etag(project.version));
      return project;
    },
  );
};
