/** Check output comes from the app: kept short so one chatty check cannot grow the log. */
export function boundedOutput(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
