/** ANSI styling for human output; every function is the identity when colour is off. */

export interface Style {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

const ANSI: Style = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

const id = (s: string) => s;
const PLAIN: Style = { red: id, green: id, yellow: id, cyan: id, dim: id, bold: id };

export function style(color: boolean): Style {
  return color ? ANSI : PLAIN;
}

/**
 * Colour on a TTY unless NO_COLOR is set (https://no-color.org: any non-empty value) or
 * TERM=dumb; FORCE_COLOR (non-empty, not "0") turns it on even when piped.
 */
export function wantsColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0")
    return true;
  return isTTY === true && env.TERM !== "dumb";
}
