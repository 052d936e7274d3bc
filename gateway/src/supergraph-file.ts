import fs from 'node:fs';
import type { SupergraphManager } from '@apollo/gateway';
import type { SupergraphSdlHookOptions } from '@apollo/gateway/dist/config';

export interface SupergraphFileOptions {
  path: string;
  /** Reload when the file changes (polling, so atomic replaces and network mounts work too). */
  watch?: boolean;
  pollIntervalMs?: number;
  onReload?: (outcome: { ok: true } | { ok: false; error: string }) => void;
}

/**
 * Serves a supergraph composed offline from a file, and swaps it in when the file changes.
 * A file that fails to load leaves the current supergraph in place.
 */
export class SupergraphFile implements SupergraphManager {
  private current = '';
  private loadedAt: Date | null = null;
  private listener?: (curr: fs.Stats, prev: fs.Stats) => void;

  constructor(private readonly options: SupergraphFileOptions) {}

  get lastLoadedAt(): Date | null {
    return this.loadedAt;
  }

  async initialize({ update }: SupergraphSdlHookOptions) {
    this.current = fs.readFileSync(this.options.path, 'utf8');
    this.loadedAt = new Date();
    if (this.options.watch) {
      this.listener = (curr, prev) => {
        if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size) return;
        let next: string;
        try {
          next = fs.readFileSync(this.options.path, 'utf8');
        } catch (error) {
          this.options.onReload?.({ ok: false, error: `cannot read ${this.options.path}: ${(error as Error).message}` });
          return;
        }
        if (next === this.current) return;
        try {
          update(next);
          this.current = next;
          this.loadedAt = new Date();
          this.options.onReload?.({ ok: true });
        } catch (error) {
          this.options.onReload?.({ ok: false, error: (error as Error).message });
        }
      };
      fs.watchFile(this.options.path, { interval: this.options.pollIntervalMs ?? 1000, persistent: false }, this.listener);
    }
    return {
      supergraphSdl: this.current,
      cleanup: async () => {
        if (this.listener) fs.unwatchFile(this.options.path, this.listener);
      },
    };
  }
}
