/**
 * `FEEDBACK_MODE=log` (set by `npm start`, whose local git server has no API): each call a git
 * host or chat target would get is printed as one log line and answered as the host would on
 * success, so the whole flow — Deployment ids included — runs and shows what would be posted.
 */
let nextId = 1;

export async function logFetch(request: Request): Promise<Response> {
  const body = request.method === "GET" ? "" : await request.text();
  // Chat and webhook URLs are secrets: only the calls meant for a git host show where they go.
  const where = request.url.startsWith("log://") ? request.url : "<url from the target's url_env>";
  // A warning, so `wrangler dev --log-level warn` (as `npm start` runs it) shows it.
  console.warn(`[feedback] would ${request.method} ${where} ${body}`);
  if (request.method === "GET") return Response.json([]);
  return Response.json({ id: nextId++ }, { status: 201 });
}
