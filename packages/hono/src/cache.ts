import { parsePolicy } from "@edge-cors/core";

/** A Map that forgets its oldest entry beyond `limit` entries. */
export class BoundedMap<K, V> {
  readonly #map = new Map<K, V>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    if (this.#map.size >= this.#limit && !this.#map.has(key)) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }

  get size(): number {
    return this.#map.size;
  }
}

/** How many distinct policies (by content) a factory's cache keeps compiled. */
export const POLICY_CACHE_LIMIT = 256;

/**
 * Compiled policies for `cors((c) => policy)`, so a policy is compiled once per distinct
 * value, not per request: by object identity first (a WeakMap), then by content (the JSON
 * text, functions standing for their identity; a bounded Map). A JSON string (e.g. an
 * environment variable) is parsed and compiled once per distinct string. A policy that
 * fails validation is cached too: its CorsConfigError is rethrown without recompiling.
 */
export class PolicyCache<T> {
  readonly #compile: (input: unknown) => T;
  readonly #byObject = new WeakMap<object, Entry<T>>();
  readonly #byKey: BoundedMap<string, Entry<T>>;
  readonly #fnIds = new WeakMap<object, number>();
  #nextFnId = 0;
  /** How many times a policy was compiled (cache misses), for tests and diagnostics. */
  compilations = 0;

  constructor(compile: (input: unknown) => T, limit = POLICY_CACHE_LIMIT) {
    this.#compile = compile;
    this.#byKey = new BoundedMap(limit);
  }

  /** The compiled form of `input`; throws the cached CorsConfigError for an invalid one. */
  get(input: unknown): T {
    const entry = this.#entry(input);
    if ("error" in entry) throw entry.error;
    return entry.value;
  }

  #entry(input: unknown): Entry<T> {
    if (typeof input === "object" && input !== null) {
      const hit = this.#byObject.get(input);
      if (hit !== undefined) return hit;
      const key = this.#keyOf(input);
      const entry = (key === null ? undefined : this.#byKey.get(key)) ?? this.#build(input);
      if (key !== null) this.#byKey.set(key, entry);
      this.#byObject.set(input, entry);
      return entry;
    }
    const key = typeof input === "string" ? `s:${input}` : `v:${String(input)}`;
    const hit = this.#byKey.get(key);
    if (hit !== undefined) return hit;
    const entry = this.#build(input, typeof input === "string");
    this.#byKey.set(key, entry);
    return entry;
  }

  #build(input: unknown, json = false): Entry<T> {
    this.compilations++;
    try {
      const value = this.#compile(json ? parsePolicy(input, "policy from the factory") : input);
      return { value };
    } catch (error) {
      return { error };
    }
  }

  /** JSON text of a policy, each function replaced by its identity; null if not serializable. */
  #keyOf(input: object): string | null {
    try {
      return `o:${JSON.stringify(input, (_k, v: unknown) => (typeof v === "function" ? `\0fn${this.#fnId(v)}` : v))}`;
    } catch {
      return null;
    }
  }

  #fnId(fn: object): number {
    let id = this.#fnIds.get(fn);
    if (id === undefined) {
      id = this.#nextFnId++;
      this.#fnIds.set(fn, id);
    }
    return id;
  }
}

type Entry<T> = { value: T } | { error: unknown };
