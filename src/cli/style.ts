/**
 * Colours for a terminal: on when stdout is a TTY, off when piped or when NO_COLOR is set to
 * anything but "" (https://no-color.org). Plain text otherwise, so output greps the same.
 */
export interface Style {
  add(text: string): string;
  remove(text: string): string;
  change(text: string): string;
  strong(text: string): string;
  faint(text: string): string;
}

const sgr = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  const on = stream.isTTY === true && !env.NO_COLOR;
  if (!on) return { add: plain, remove: plain, change: plain, strong: plain, faint: plain };
  return { add: sgr("32"), remove: sgr("31"), change: sgr("33"), strong: sgr("1"), faint: sgr("2") };
}
