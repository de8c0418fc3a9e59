/** Read-only view of response headers with Fetch "get" semantics. */
import { asciiLower, trimHttpWhitespace } from "./bytes.ts";
import type { ResponseHeaderInput } from "./types.ts";

export class HeaderView {
  private readonly map = new Map<string, string[]>();

  constructor(input: ResponseHeaderInput) {
    const add = (name: string, value: string) => {
      const key = asciiLower(name);
      const values = this.map.get(key);
      const v = trimHttpWhitespace(value);
      if (values === undefined) this.map.set(key, [v]);
      else values.push(v);
    };
    if (Array.isArray(input)) {
      for (const [name, value] of input) add(name, value);
    } else if (typeof (input as Headers).forEach === "function") {
      (input as Headers).forEach((value, name) => {
        add(name, value);
      });
    } else {
      for (const [name, value] of Object.entries(input)) add(name, value);
    }
  }

  /** Fetch §get: all lines for `name` joined by ", ", or null when absent. */
  get(name: string): string | null {
    const values = this.map.get(asciiLower(name));
    return values === undefined ? null : values.join(", ");
  }

  /** Number of separate lines seen (a `Headers` object already joined them into one). */
  count(name: string): number {
    return this.map.get(asciiLower(name))?.length ?? 0;
  }

  has(name: string): boolean {
    return this.map.has(asciiLower(name));
  }

  /** Unique lower-case names, sorted. */
  names(): string[] {
    return [...this.map.keys()].sort();
  }

  /** Lines as [lower-case name, value]. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [name, values] of this.map) for (const v of values) out.push([name, v]);
    return out;
  }
}
