/** One HTTP request a sender makes, before the token is added: safe to log and to test against. */
export interface HttpCall {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  /** JSON text, exactly as sent (webhook signatures cover these bytes). */
  body?: string;
}

export function jsonCall(method: HttpCall["method"], url: string, body?: unknown): HttpCall {
  const headers: Record<string, string> = { accept: "application/json", "user-agent": "tower" };
  if (body === undefined) return { method, url, headers };
  return { method, url, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** A path segment as hosts expect it (`owner/name` stays two segments; GitLab encodes it whole). */
export function segment(text: string): string {
  return encodeURIComponent(text);
}
