// The File ▸ Open Recent list: most recent first, no duplicates, a fixed length, kept on disk.
// Only files the user chose through a dialog enter it, so reopening one grants nothing new.
import { resolve } from 'node:path';
import { isRecord, readJsonFile, writeJsonFile } from './json-file';

export const MAX_RECENT_FILES = 10;

export class RecentFiles {
  private paths: string[] = [];

  private constructor(private readonly storePath: string) {}

  static async load(storePath: string): Promise<RecentFiles> {
    const recent = new RecentFiles(storePath);
    const stored = await readJsonFile(storePath);
    if (isRecord(stored) && Array.isArray(stored['paths'])) {
      recent.paths = stored['paths']
        .filter((path): path is string => typeof path === 'string' && path.length > 0)
        .slice(0, MAX_RECENT_FILES);
    }
    return recent;
  }

  list(): readonly string[] {
    return [...this.paths];
  }

  includes(path: string): boolean {
    return this.paths.includes(resolve(path));
  }

  async add(path: string): Promise<void> {
    const absolute = resolve(path);
    this.paths = [absolute, ...this.paths.filter((p) => p !== absolute)].slice(0, MAX_RECENT_FILES);
    await this.persist();
  }

  async remove(path: string): Promise<void> {
    const absolute = resolve(path);
    this.paths = this.paths.filter((p) => p !== absolute);
    await this.persist();
  }

  async clear(): Promise<void> {
    this.paths = [];
    await this.persist();
  }

  private persist(): Promise<void> {
    return writeJsonFile(this.storePath, { paths: this.paths });
  }
}
