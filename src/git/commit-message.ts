/**
 * The message of a commit Tower writes: a subject that says what happened, an optional body, and
 * git trailers (`Key: value` lines in the last paragraph, as `git interpret-trailers` reads them)
 * that tools and people can query later (`git log --format=%(trailers:key=Tower-Previous)`).
 * Values come from registries and config repos, so they are checked: one line each, bounded.
 */
import { GitError } from "../errors";

export interface CommitMessage {
  subject: string;
  body?: string;
  /** In order; a key may repeat (one line each). */
  trailers?: [key: string, value: string][];
}

const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;
const MAX_LINE = 1000;

export function formatCommitMessage(message: CommitMessage): string {
  const subject = oneLine("subject", message.subject);
  if (subject === "") throw invalid("a commit needs a subject");
  const parts = [subject];
  const body = message.body?.trim();
  if (body) parts.push(body);
  const trailers = (message.trailers ?? []).map(([key, value]) => {
    if (!TRAILER_KEY.test(key)) throw invalid(`"${key.slice(0, 64)}" is not a trailer key`);
    return `${key}: ${oneLine(key, value)}`;
  });
  if (trailers.length > 0) parts.push(trailers.join("\n"));
  return `${parts.join("\n\n")}\n`;
}

/** The trailers of a commit message (last paragraph of `Key: value` lines), in order. */
export function parseTrailers(message: string): [string, string][] {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  if (paragraphs.length < 2) return [];
  const lines = (paragraphs.at(-1) ?? "").split("\n");
  const pairs = lines.map((line) => /^([A-Za-z0-9][A-Za-z0-9-]*): (.*)$/.exec(line));
  if (pairs.some((m) => m === null)) return [];
  return pairs.map((m) => [m?.[1] ?? "", m?.[2] ?? ""]);
}

function oneLine(what: string, value: string): string {
  const text = value.trim();
  if (/[\r\n\0]/.test(text)) throw invalid(`${what} must be one line`);
  if (text.length > MAX_LINE) throw invalid(`${what} is longer than ${MAX_LINE} characters`);
  return text;
}

function invalid(message: string): GitError {
  return new GitError("invalid_commit", message);
}
