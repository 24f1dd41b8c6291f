import type { Project, ProjectSummary } from '@vmp/shared/api';
import { create } from 'zustand';
import { api } from '../api/client.ts';
import { attempt, toast } from './toasts.ts';

interface ProjectsState {
  projects: ProjectSummary[];
  loaded: boolean;
  load(): Promise<void>;
  create(name: string): Promise<Project | undefined>;
  rename(projectId: string, name: string): Promise<void>;
  remove(projectId: string): Promise<boolean>;
}

export const useProjects = create<ProjectsState>((set, get) => ({
  projects: [],
  loaded: false,
  async load() {
    const projects = await attempt(() => api().call('projects.list', {}));
    if (projects) set({ projects, loaded: true });
  },
  async create(name) {
    const project = await attempt(() => api().call('projects.create', { name }));
    if (project) await get().load();
    return project;
  },
  async rename(projectId, name) {
    const project = await attempt(() => api().call('projects.update', { projectId, name }));
    if (project) set((s) => ({ projects: s.projects.map((p) => (p.id === projectId ? { ...p, ...project } : p)) }));
  },
  async remove(projectId) {
    const name = get().projects.find((p) => p.id === projectId)?.name ?? 'Project';
    const ok = await attempt(() => api().call('projects.delete', { projectId }));
    if (!ok) return false;
    set((s) => ({ projects: s.projects.filter((p) => p.id !== projectId) }));
    toast.success(`Deleted “${name}”. Its clips and rendered files are still on disk.`);
    return true;
  },
}));
