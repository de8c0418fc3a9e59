/** tldts's compiled Public Suffix List trie (an internal module of the pinned tldts version). */
declare module "tldts/dist/es6/src/data/trie.js" {
  /** Per node: 1 when an ICANN rule ends here, 2 when a private one does. */
  export const nodeFlags: Uint8Array;
  /** Per node (plus one past the end): the index of its first outgoing edge. */
  export const edgeStart: Uint32Array | Uint16Array | Int32Array;
  /** Per edge: the length of its label in `labelText`. */
  export const edgeLength: Uint8Array | Uint16Array;
  /** Per edge: the node it leads to. */
  export const edgeChild: Uint32Array | Uint16Array | Int32Array;
  /** Every edge's label, concatenated in edge order. */
  export const labelText: string;
  export const rulesRoot: number;
  export const exceptionsRoot: number;
}
