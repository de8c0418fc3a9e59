/**
 * Finds where a JSON text stops being valid, so errors name a line and column whatever
 * the Node version's JSON.parse message says. Only called after JSON.parse has failed.
 */

export interface JsonSyntaxError {
  /** 0-based offset of the offending character (the text length at an unexpected end). */
  offset: number;
  line: number;
  column: number;
  message: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const describe = (text: string, i: number) =>
  i >= text.length ? "the end of the input" : JSON.stringify(text[i]);

/** 1-based line and column of `offset` (columns count UTF-16 code units). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The first syntax error in `text`, or null when it is valid JSON (or nests too deep to scan). */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const expect = (what: string): never => {
    throw new Stop(i, `expected ${what} but found ${describe(text, i)}`);
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) {
      if (text[i] !== word[k]) expect(`"${word}"`);
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Stop(i, "unterminated string");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, "control character in a string (escape it)");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          for (let k = 2; k < 6; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) {
              throw new Stop(i + k, "invalid \\u escape in a string");
            }
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i, "invalid escape in a string");
      } else i++;
    }
  };
  const digits = () => {
    const s = i;
    while (i < text.length && text[i]! >= "0" && text[i]! <= "9") i++;
    if (i === s) expect("a digit");
  };
  const number = () => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits();
    if (text[i] === ".") {
      i++;
      digits();
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits();
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') expect("a property name in double quotes");
        string();
        ws();
        if (text[i] !== ":") expect('":"');
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "}") throw new Stop(i, 'trailing comma before "}"');
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        expect('"," or "}"');
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "]") throw new Stop(i, 'trailing comma before "]"');
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        expect('"," or "]"');
      }
    }
    if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else expect("a value");
  };
  try {
    value();
    ws();
    if (i < text.length) throw new Stop(i, `unexpected ${describe(text, i)} after the JSON value`);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) return null; // e.g. RangeError on absurd nesting
    return { offset: e.offset, ...lineColumn(text, e.offset), message: e.message };
  }
}
