import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch milliseconds; absent for entries without an expiry. */
  expiresAt?: number;
}

function readEntries(file: string): Record<string, Entry> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>;
  } catch {
    // No file yet, or a corrupt one: that only costs the stored sessions; start clean.
    return {};
  }
}

/** One model's entries, written through to its file when there is one. */
class StoredModel implements Adapter {
  readonly #file: string | undefined;
  readonly #entries: Map<string, Entry>;

  constructor(entries: Map<string, Entry>, file: string | undefined) {
    this.#entries = entries;
    this.#file = file;
  }

  #write(): void {
    if (this.#file === undefined) return;
    const now = Date.now();
    const live = [...this.#entries].filter(([, entry]) => (entry.expiresAt ?? Infinity) > now);
    const temp = `${this.#file}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(live)), { mode: 0o600 });
    renameSync(temp, this.#file);
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if ((entry.expiresAt ?? Infinity) <= Date.now()) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry;
  }

  #findBy(predicate: (payload: AdapterPayload) => boolean): AdapterPayload | undefined {
    for (const id of this.#entries.keys()) {
      const entry = this.#live(id);
      if (entry !== undefined && predicate(entry.payload)) return entry.payload;
    }
    return undefined;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const entry: Entry = { payload };
    if (expiresIn !== undefined) entry.expiresAt = Date.now() + expiresIn * 1000;
    this.#entries.set(id, entry);
    this.#write();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#live(id)?.payload;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findBy((payload) => payload.uid === uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findBy((payload) => payload.userCode === userCode);
  }

  async consume(id: string): Promise<void> {
    const entry = this.#live(id);
    if (entry === undefined) return;
    entry.payload.consumed = Math.floor(Date.now() / 1000);
    this.#write();
  }

  async destroy(id: string): Promise<void> {
    if (this.#entries.delete(id)) this.#write();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    let changed = false;
    for (const [id, entry] of this.#entries) {
      if (entry.payload.grantId === grantId) changed = this.#entries.delete(id) || changed;
    }
    if (changed) this.#write();
  }
}

/**
 * oidc-provider storage in JSON files, one per model, so `pnpm dev` restarts keep sessions and
 * grants; without a folder, the same in memory (tests, `--in-memory`), instead of oidc-provider's
 * built-in memory adapter, which warns that it is for development (which this IdP says itself).
 * Written synchronously: a dev server handles a handful of requests, and a sync write cannot
 * interleave with another one.
 */
export function createFileAdapter(dir: string | undefined): AdapterConstructor {
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  // One entry map per model, however many adapters oidc-provider creates for it.
  const models = new Map<string, Map<string, Entry>>();

  return class FileAdapter extends StoredModel {
    constructor(name: string) {
      const file = dir === undefined ? undefined : join(dir, `${name}.json`);
      const entries =
        models.get(name) ?? new Map(file === undefined ? [] : Object.entries(readEntries(file)));
      models.set(name, entries);
      super(entries, file);
    }
  };
}
