/** Shared shapes of the browser model (data in, data out; no I/O). */
import type { FetchCacheMode } from "./engines.ts";

export type CredentialsMode = "omit" | "same-origin" | "include";

/** Request headers as a script would pass them to `fetch()`. */
export type HeaderInput = Array<[string, string]> | Record<string, string> | Headers;

/** Response headers: a `Headers` object (values already joined by `get`) or raw lines. */
export type ResponseHeaderInput = Headers | Array<[string, string]> | Record<string, string>;

/** What a page script asks for: `fetch(url, { method, headers, credentials })` from `origin`. */
export interface BrowserRequest {
  url: string;
  /** Serialized origin of the calling page (`https://app.example.com`) or `"null"`. */
  origin: string;
  method: string;
  headers?: HeaderInput;
  /** Fetch default is `"same-origin"`. */
  credentials?: CredentialsMode;
  /** The use-CORS-preflight flag (XHR upload listeners, streaming bodies). */
  forcePreflight?: boolean;
  /** Fetch default is `"follow"`; only `simulate` acts on it. */
  redirect?: "follow" | "error" | "manual";
  /**
   * Fetch §request cache mode, default `"default"`. Engines differ in which modes skip the
   * preflight cache (engines.ts); `"only-if-cached"` makes a cross-origin `fetch()` throw.
   */
  cache?: FetchCacheMode;
}

export interface ResponseLike {
  status: number;
  headers: ResponseHeaderInput;
}

export type Stage = "request" | "preflight" | "actual" | "redirect" | "expose";

/** One diagnosed issue: the header at fault and a one-line fix in plain words. */
export interface Finding {
  code: string;
  /** The exact header that is missing or wrong, when there is one. */
  header?: string;
  message: string;
  fix: string;
  stage?: Stage;
}

export type Problem = Finding;
export type Warning = Finding;

/** Every result carries these. `ok` is false exactly when `problems` is non-empty. */
export interface Verdict {
  ok: boolean;
  problems: Problem[];
  warnings: Warning[];
}

/** A request the browser puts on the wire (header names lower-case). */
export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** True when the browser attaches cookies / HTTP auth / client certificates. */
  credentials: boolean;
}
